/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,dn,us,ce,yt,ze,fn,Be,mn,bt,vt,ps,Me=Symbol.for("pv"),Ye={},Ke=[],ds=/^m(i|n|o|s|text|space)$/,wt=Array.isArray,kt=Ke.slice,ge=Object.assign;function he(e){e&&e.parentNode&&e.remove()}function hn(e,t,n){var o,a,s,i={},c=arguments.length;for(s in t)s=="key"?o=t[s]:s=="ref"&&typeof e!="function"?a=t[s]:i[s]=t[s];return c>2&&(i.children=c>3?kt.call(arguments,2):n),De(e,i,o,a,null)}function De(e,t,n,o,a){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Me,__v:a||++dn,__i:-1,__u:0};return!a&&T.vnode&&T.vnode(s),s}function Te(e){return e.children}function le(e,t){this.props=e,this.context=t,this.__g=0}function ue(e,t){if(t==null)return e.__&&ue(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:ue(e)}function fs(e){var t,n=e.__v,o=n.__e,a=[],s=[],i=e.__P;i&&((t=ge({constructor:Me},n)).__v=n.__v+1,T.vnode&&T.vnode(t),xt(i,t,n,e.__n,i.namespaceURI,32&n.__u?[o]:null,a,o||ue(n),32&n.__u,s),t.__v=n.__v,t.__.__k[t.__i]=t,bn(a,t,s),n.__=n.__e=null,t.__e!=o&&gn(t))}function gn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),gn(e)}function un(e){(8&e.__g||(e.__g|=8,ce.push(e),ze++))&&yt==T.debounceRendering||((yt=T.debounceRendering)||queueMicrotask)(_n)}function _n(){try{for(var e,t=1;ce.length;)ce.length>t&&ce.sort(fn),e=ce.shift(),t=ce.length,8&e.__g&&fs(e)}finally{(ze=ce.length)&&(yt||queueMicrotask)(_n)}}function $n(e,t,n,o,a,s,i,c,u,p,l){var m,g,d,$,_,k,x=o.__k||Ke,C=t.length;for(u=ms(n,t,x,u,C),m=0;m<C;m++)(d=n.__k[m])!=null&&(g=~d.__i&&x[d.__i]||Ye,d.__i=m,k=xt(e,d,g,a,s,i,c,u,p,l),$=d.__e,(g.ref!=d.ref||8&g.__u)&&(g.ref&&Ct(g.ref,null,d,g),d.ref&&l.push(d.ref,d.__c||$,d)),_=_||$,4&d.__u?(u=yn(d,u,e,!g.__v),g.__e&&(g.__e=null)):typeof d.type=="function"&&k!==void 0?u=k:$&&(u=$.nextSibling),d.__u&=-21);return n.__e=_,u}function ms(e,t,n,o,a){var s,i,c,u,p,l,m,g,d,$=n.length,_=$,k=0,x=0,C=e.__k=Array(a);for(s=0;s<a;s++)(i=t[s])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i!="object"||i.constructor===String?i=C[s]=De(null,i):wt(i)?i=C[s]=De(Te,{children:i}):i.constructor===Me&&i.__b?i=C[s]=De(i.type,i.props,i.key,i.ref,i.__v):C[s]=i,u=s+k,i.__=e,i.__b=e.__b+1,c=null,~(p=i.__i=hs(i,n,u,_))&&(_--,(c=n[p])&&(c.__u|=2)),c&&c.__v?(i.__u|=16,p==u-1?k--:p==u+1?k++:p!=u&&(p>u?k--:k++,x=1)):(~p||(a>$?k--:a<$&&k++),typeof i.type!="function"&&(i.__u|=4))):C[s]=null;if(x){for(l=[],m=[],s=0;s<a;s++)if((i=C[s])&&16&i.__u){for(k=0,g=l.length;k<g;)l[d=k+g>>1]<i.__i?k=d+1:g=d;l[k]=i.__i,m[s]=k+1}for(k=l.length;s--;)m[s]&&(m[s]==k?k--:C[s].__u|=4)}if(_)for(s=0;s<$;s++)!(c=n[s])||2&c.__u||(c.__e==o&&(o=ue(c)),St(c,c));return o}function yn(e,t,n,o){var a,s,i,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(a=e.__k)for(s=0;s<a.length;s++)a[s]&&(a[s].__=e,t=yn(a[s],t,n,!1));return t}for(t&&!t.parentNode&&(t=ue(e))&&!t.parentNode&&(t=null),i=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(i!=c&&(!o&&n.moveBefore&&i.parentNode?n.moveBefore(i,t):n.insertBefore(i,t||null)),t=i;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function hs(e,t,n,o){var a,s=e.key,i=e.type,c=t[n],u=c&&!(2&c.__u);if(c===null&&s==null||u&&s==c.key&&i==c.type)return n;if(o>(u?1:0)){for(a=n-1;a>=0;a--)if((c=t[a])&&!(2&c.__u)&&s==c.key&&i==c.type)return a;for(a=n+1;a<t.length;a++)if((c=t[a])&&!(2&c.__u)&&s==c.key&&i==c.type)return a}return-1}function pn(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function He(e,t,n,o,a){var s,i;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||pn(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||pn(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(i=vt[t]||(vt[t]=gs(t)),(e.__a||(e.__a={}))[t]=bt,s=t!=(t=t.replace(mn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,i,s):e.removeEventListener(t,i,s));else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function gs(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[Be]==null)t[Be]=bt++;else if(t[Be]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function xt(e,t,n,o,a,s,i,c,u,p){var l,m,g,d,$,_,k,x,C,A,I,ie,We,be,S,ln,re,me,X=t.type;if(t.constructor!==Me)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=s=[],l.nodeType==8?c=Ge(l,s):s.push(l),c=s[0]||c),(l=T.__b)&&l(t);e:if(typeof X=="function"){g=i.length;try{if(x=t.props,C=(l=X.prototype)&&l.render,A=(l=X.contextType)&&o[l.__c],I=l?A?A.props.value:l.__:o,(d=n.__c)?(t.__c=d,2&d.__g&&(d.__g|=1)):(C?t.__c=d=new X(x,I):(t.__c=d=new le(x,I),d.constructor=X,d.render=$s),A&&A.sub(d),d.state||(d.state={}),d.__n=o,d.__g|=8,d.__h=[],d.__k=[]),C&&(d.__s||(d.__s=d.state),X.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=ge({},d.__s)),ge(d.__s,X.getDerivedStateFromProps(x,d.__s)))),$=d.props,_=d.state,d.__v=t,n.__c){if(x!==$&&C&&!X.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(x,I),t.__v==n.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(x,d.__s,I)===!1){t.__v!=n.__v&&(d.props=x,d.state=d.__s,d.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(z){z&&(z.__=t)}),Ke.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&i.push(d),c=ue(n);break e}d.componentWillUpdate&&d.componentWillUpdate(x,d.__s,I),C&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate($,_,k)})}else C&&!X.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),C&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=I,d.props=x,d.__P=e,d.__g&=-5,ie=T.__r,We=C?25:0;do d.__g&=-9,ie&&ie(t),l=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++We<25);C&&(Ke.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(o=ge({},o,d.getChildContext())),C&&n.__c&&d.getSnapshotBeforeUpdate&&(k=d.getSnapshotBeforeUpdate($,_)),be=l&&l.type===Te&&l.key==null?l.props.children:l,x.__P&&(l=c,a=(e=x.__P).namespaceURI,u=s=null,n.props&&n.props.__P!=e&&(n.__k.some(function(z){z&&St(z,z)}),n.__k=null),c=n.__k?ue(n,0):null),c=$n(e,wt(be)?be:[be],t,n,o,a,s,i,c,u,p),x.__P&&(t.__e=null,c=l),t.__u&=-161,m&&m.some(he),d.__h.length&&i.push(d),1&d.__g&&(d.__g&=-4)}catch(z){if(i.length=g,t.__v=null,u||s)if(z&&z.then){if(t.__u|=128|u,s){for(~(re=s.indexOf(c||void 0))||(re=s.length);(me=s[re-1])&&me.nodeType==8;)re--;for(;re<s.length;re++)if(me=s[re])if(s[re]=null,S){if(me==ln)break}else{if(me.nodeType!=8)break;me.data.startsWith("$s")&&(ln=Ge(S=me))}}if(!S){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;S=c}(l=Ge(S=t.__c.__z||(t.__c.__z=S)))?(t.__e=S,c=l):t.__e=c,c=c&&c.nextSibling}else s&&s.some(he);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),z&&z.then||vn(t),T.__e(z,t,n)}}else c=t.__e=_s(n.__e,t,n,o,a,s,i,u,p,e);return(l=T.diffed)&&l(t),c}function Ge(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function vn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(vn))}function bn(e,t,n){for(var o=0;o<n.length;)Ct(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(s){s.call(a)})}catch(s){T.__e(s,a.__v)}})}function _s(e,t,n,o,a,s,i,c,u,p){var l,m,g,d,$,_,k,x,C=n.props||Ye,A=t.props,I=t.type;if(I=="svg"?a="http://www.w3.org/2000/svg":I=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),s){for(l=0;l<s.length;l++)if(($=s[l])&&(I?$.localName==I:$.nodeType==3)){e=$,s[l]=null;break}}if(!e){if(x=p.ownerDocument||document,!I)return x.createTextNode(A);e=x.createElementNS(a,I,A.is?A:p),c&&(T.__m&&T.__m(t,s),c=!1),s=null}if(I){if(p=I=="template"&&e.content||e,s=I=="textarea"&&A.defaultValue!=null?null:s&&kt.call(p.childNodes),!c&&s)for(C={},l=0;l<e.attributes.length;l++)C[($=e.attributes[l]).name]=$.value;for(l in C)$=C[l],l=="dangerouslySetInnerHTML"?g=$:l=="children"||l in A||l=="value"&&"defaultValue"in A||l=="checked"&&"defaultChecked"in A||He(e,l,null,$,a);for(l in A)$=A[l],l=="children"?d=$:l=="dangerouslySetInnerHTML"?m=$:l=="value"?_=$:l=="checked"?k=$:c&&typeof $!="function"||C[l]===$||He(e,l,$,C[l],a);m?(c||g&&(m.__html==g.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(g&&(e.textContent=""),(I=="foreignObject"||a=="http://www.w3.org/1998/Math/MathML"&&ds.test(I))&&(a="http://www.w3.org/1999/xhtml"),$n(p,wt(d)?d:[d],t,n,o,a,s,i,s?s[0]:n.__k&&ue(n,0),c,u),s&&s.some(he)),c&&I!="textarea"||(l="value",I=="progress"&&_==null?e.removeAttribute(l):_==null||_===e[l]&&(I!="progress"||_)||He(e,l,_,C[l],a),l="checked",k!=null&&k!=e[l]&&He(e,l,k,C[l],a))}else C===A||c&&e.data==A||(e.data=A);return e}function Ct(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(a){T.__e(a,n)}}function St(e,t,n){var o,a,s,i;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||Ct(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(c){T.__e(c,t)}o.__P=o.__n=null}if(o=e.__k)for(i=0;i<o.length;i++)o[i]&&St(o[i],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(a=Ge(o,s=[]))&&(o==e.__e&&s.some(he),he(a),he(o)),n||he(e.__e),e.__e=e.__c=e.__=null}function $s(e,t,n){return this.constructor(e,n)}function Dt(e,t){var n,o,a,s;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=De(Te,{children:[e]}),a=[],s=[],xt(t,t.__k,o||Ye,Ye,t.namespaceURI,o?null:t.firstChild?kt.call(t.childNodes):null,a,o?o.__e:t.firstChild,n,s),bn(a,t.__k,s),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var a,s,i;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((i=(s=a.constructor)&&s.getDerivedStateFromError)&&a.setState(s.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,o||{}),i=1),i&&8&a.__g)return void(a.__g|=2)}catch(c){e=c}}throw ze=0,e}},dn=0,us=function(e){return e!=null&&e.constructor===Me},le.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=ge({},this.state)),typeof e=="function"&&(e=e(ge({},n),this.props)),e&&(ge(n,e),this.__v&&(t&&this.__k.push(t),un(this)))},le.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),un(this))},le.prototype.render=Te,ce=[],ze=0,fn=function(e,t){return e.__v.__b-t.__v.__b},Be=Symbol(),mn=/(PointerCapture)$|Capture$/i,bt=0,vt={},ps=0;var kn=function(e,t,n,o){var a;t[0]=0;for(var s=1;s<t.length;s++){var i=t[s++],c=t[s]?(t[0]|=i?1:2,n[t[s++]]):t[++s];i===3?o[0]=c:i===4?o[1]=Object.assign(o[1]||{},c):i===5?(o[1]=o[1]||{})[t[++s]]=c:i===6?o[1][t[++s]]+=c+"":i?(a=e.apply(c,kn(e,c,n,["",null])),o.push(a),c[0]?t[0]|=2:(t[s-2]=0,t[s]=a)):o.push(c)}return o},wn=new Map;function xn(e){var t=wn.get(this);return t||(t=new Map,wn.set(this,t)),(t=kn(this,t.get(e)||(t.set(e,t=(function(n){for(var o,a,s=1,i="",c="",u=[0],p=function(g){s===1&&(g||(i=i.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,g,i):s===3&&(g||i)?(u.push(3,g,i),s=2):s===2&&i==="..."&&g?u.push(4,g,0):s===2&&i&&!g?u.push(5,0,!0,i):s>=5&&((i||!g&&s===5)&&(u.push(s,0,i,a),s=6),g&&(u.push(s,g,0,a),s=6)),i=""},l=0;l<n.length;l++){l&&(s===1&&p(),p(l));for(var m=0;m<n[l].length;m++)o=n[l][m],s===1?o==="<"?(p(),u=[u],s=3):i+=o:s===4?i==="--"&&o===">"?(s=1,i=""):i=o+i[0]:c?o===c?c="":i+=o:o==='"'||o==="'"?c=o:o===">"?(p(),s=1):s&&(o==="="?(s=5,a=i,i=""):o==="/"&&(s<5||n[l][m+1]===">")?(p(),s===3&&(u=u[0]),s=u,(u=u[0]).push(2,0,s),s=0):o===" "||o==="	"||o===`
`||o==="\r"?(p(),s=2):i+=o),s===3&&i==="!--"&&(s=4,u=u[0])}return p(),u})(e)),t),arguments,[])).length>1?t:t[0]}var we,N,Mt,Cn,Tt=Object.is,Re=0,En=[],It=[],E=T,Sn=E.__b,Dn=E.__r,Mn=E.diffed,Tn=E.__c,In=E.unmount,Rn=E.__;function Ve(e,t){E.__h&&E.__h(N,e,Re||t),Re=0;var n=N.__H||(N.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function h(e){return Re=1,Qe(An,e)}function Qe(e,t,n){var o=Ve(we++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):An(void 0,t),function(s){var i=(o.__N||o.__)[0],c=o.t(i,s);Tt(i,c)||(o.__N=[c,o.__[1]],o.__c.setState({}))}],o.__c=N,!N.__f)){N.__f=!0;var a=N.shouldComponentUpdate;N.shouldComponentUpdate=function(s,i,c){var u=this.__H;if(!u)return!0;var p=!1,l=this.props!=s;if(u.__.some(function(g){g.__N&&(p=!0,Tt(g.__[0],g.__N[0])||(l=!0))}),a){var m=a.call(this,s,i,c);return p?m||l:m}return!p||l}}return o.__}function D(e,t){var n=Ve(we++,3);!E.__s&&Lt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,N.__H.__h.push(n))}function Pe(e,t){var n=Ve(we++,4);!E.__s&&Lt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,N.__h.push(n))}function U(e){return Re=5,Pt(function(){return{current:e}},[])}function Pt(e,t){var n=Ve(we++,7);return Lt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Je(e,t){return Re=8,Pt(function(){return e},t)}function ys(){var e;do{for(;e=It.shift();)try{Ie(e)}catch(n){E.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=En.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Ie),t.__h.some(Rt),t.__h=[]}catch(n){t.__h=[],E.__e(n,e.__v)}}}while(It.length)}E.__b=function(e){N=null,Sn&&Sn(e)},E.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Rn&&Rn(e,t)},E.__r=function(e){Dn&&Dn(e),we=0;var t=(N=e.__c).__H;t&&(Mt==N?N.__h=[]:(t.__h.some(Ie),t.__h.some(Rt),we=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),Mt=N},E.diffed=function(e){Mn&&Mn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Ln(En.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),Mt=N=null},E.__c=function(e,t){t.some(function(n){try{n.__h.some(Ie),n.__h=n.__h.filter(function(o){return!o.__||Rt(o)})}catch(o){n.__h=[function(){throw o}]}}),Tn&&Tn(e,t)},E.unmount=function(e){In&&In(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(a){try{if(a.__P&&a.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}a.__P=n,Ln(It.push(a))}else Ie(a)}catch(s){t=s}}),o.__H=void 0,t&&E.__e(t,o.__v))};var Pn=typeof requestAnimationFrame=="function";function vs(e){var t,n=function(){clearTimeout(o),Pn&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);Pn&&(t=requestAnimationFrame(n))}function Ln(e){e!=1&&Cn==E.requestAnimationFrame||((Cn=E.requestAnimationFrame)||vs)(ys)}function Ie(e){var t=N,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),N=t}function Rt(e){var t=N;e.__c=e.__(),N=t}function Lt(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!Tt(n,e[o])})}function An(e,t){return typeof t=="function"?t(e):t}var r=xn.bind(hn);function Nn(e){class t extends le{shouldComponentUpdate(o){let a=this.props;for(let s in a)if(a[s]!==o[s])return!0;for(let s in o)if(!(s in a))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var Z=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},Et=()=>{};function qn(e){Et=e}async function Un(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Et(),new Z(e.status,t&&t.code,t&&t.error)}async function pe(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let a;try{a=await fetch(t,o)}catch{throw new Z(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!a.ok)throw await Un(a);return a.status===204||a.status===202?null:(a.headers.get("Content-Type")||"").includes("json")?a.json():a.text()}var M=e=>pe("GET",e),R=(e,t)=>pe("POST",e,t),O=(e,t)=>pe("PUT",e,t),Le=(e,t)=>pe("PATCH",e,t),Y=e=>pe("DELETE",e),B=encodeURIComponent;function At(e,t,n){let o=e.slice(2),a=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,s="?limit="+n;return t&&(s+="&before="+t),a+"/messages"+s}function On({key:e,file:t,caption:n,onProgress:o}){let a=new URLSearchParams;a.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&a.set("name",t.name),t.type&&a.set("mime",t.type),n&&a.set("caption",n);let s=new XMLHttpRequest;return{promise:new Promise((c,u)=>{s.open("POST","/v1/media?"+a.toString()),s.responseType="json",s.upload.onprogress=p=>o&&o(p.loaded,p.lengthComputable?p.total:t.size),s.onload=()=>{let p=s.response;if(s.status===201&&p&&p.id){c(p.id);return}s.status===401&&Et(),u(new Z(s.status,p&&p.code,p&&p.error))},s.onerror=()=>u(new Z(0,"network","the upload was cut off: is the daemon still running?")),s.onabort=()=>u(new Z(0,"aborted","upload cancelled")),s.send(t)}),abort:()=>s.abort()}}var ke=e=>"/v1/media/"+e+"/content",Nt=e=>"/v1/media/"+e+"/thumbnail",_e=e=>"/v1/qr.svg?text="+B(e);async function Fn(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await Un(t);return(await t.json()).text}function qt(e,t){let n=document.createElement("a");n.href=ke(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var $e=e=>"p:"+e,xe=e=>"g:"+e,de=e=>e.group?xe(e.group):$e(e.peer),J=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),K=e=>e?e.slice(0,12)+"…":"",Ut=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),jn=new Intl.DateTimeFormat(void 0,{weekday:"long"}),bs=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),ws=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),Wn=e=>e?Date.parse(e):0,Ze=e=>e?Ut.format(new Date(e)):"";function Xe(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Ot(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Ee(e,t=Date.now()){let n=new Date(e),o=Math.round((Xe(new Date(t))-Xe(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?jn.format(n):bs.format(n)}function et(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((Xe(new Date(t))-Xe(n))/864e5);return o===0?Ut.format(n):o===1?"Yesterday":o>1&&o<7?jn.format(n):ws.format(n)}function tt(e,t=Date.now()){if(!e)return"";let n=Ee(e,t),o=Ut.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function ee(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var Ft=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,Hn=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function j(...e){return e.filter(Boolean).join(" ")}var ks=/pgi[a-z2-7]{160}/,xs=/pg[a-z2-7]{58}(?![a-z2-7])/;function nt(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(ks);if(o)return{kind:"invite",link:o[0]};let a=n.match(xs);if(!a)return null;let s="",i=t.indexOf("?");if(i>=0)try{s=new URLSearchParams(t.slice(i+1)).get("name")||""}catch{s=""}return{kind:"account",account:a[0],name:s}}function Bn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var Gn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var st=50,f={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],visible:document.visibilityState==="visible"},Ae=new Set,jt=!1;function v(){jt||(jt=!0,queueMicrotask(()=>{jt=!1;for(let e of Ae)e()}))}function Jn(e){return Ae.add(e),()=>Ae.delete(e)}function Cs(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function b(e){let[,t]=Qe(a=>a+1,0),n=U(null),o=e(f);return n.current={sel:e,val:o},Pe(()=>{let a=()=>{let s=n.current;Cs(s.sel(f),s.val)||t()};return Ae.add(a),a(),()=>Ae.delete(a)},[]),o}var Ss=0;function L(e,t="info"){let n=++Ss;f.toasts=[...f.toasts,{id:n,text:e,kind:t}],v(),setTimeout(()=>Gt(n),t==="error"?8e3:4e3)}function Gt(e){f.toasts=f.toasts.filter(t=>t.id!==e),v()}function w(e){e instanceof Z&&e.status===401||L(e&&e.message?e.message:String(e),"error")}function W(e){if(!e)return"";if(f.me&&e===f.me.account)return"You";let t=f.contacts.get(e);return t&&t.name||K(e)}function H(e){if(e.startsWith("g:")){let o=f.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=f.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=f.convs.find(o=>o.key===e);return n&&n.name||K(e.slice(2))}async function ne(){let e=await M("/v1/contacts");f.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!f.identity.has(t.account)&&(f.identity=new Map(f.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&f.identity.has(t.account)){let n=new Map(f.identity);n.delete(t.account),f.identity=n}v()}async function at(){let e=await M("/v1/groups");f.groups=new Map(e.map(t=>[t.id,t])),v()}async function V(e){try{let t=await M("/v1/groups/"+e);f.groups=new Map(f.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(f.groups);n.delete(e),f.groups=n}else throw t}v()}function Ds(e){return{key:e.group?xe(e.group):$e(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||"",last:e.last,unread:e.unread}}var Xn=0,Zn=new Map;async function fe(){let e=Xn,n=(await M("/v1/conversations")).map(Ds);for(let a of n)(Zn.get(a.key)||0)>e&&(a.unread=0);let o=new Set(n.map(a=>a.key));for(let a of f.groups.values()){let s=xe(a.id);!o.has(s)&&a.status==="active"&&n.push({key:s,peer:"",group:a.id,name:a.name,last:null,unread:0})}f.convs=n,v();for(let a of n.slice(0,30))a.peer&&!f.presence.has(a.peer)&&eo(a.peer)}var zn=0;function oe(){clearTimeout(zn),zn=setTimeout(()=>fe().catch(()=>{}),300)}var Wt=new Set;async function eo(e){if(!Wt.has(e)){Wt.add(e);try{let t=await M("/v1/presence/"+e);f.presence=new Map(f.presence).set(e,t),v()}catch{}finally{Wt.delete(e)}}}async function zt(){f.autoDownload=await M("/v1/media-settings/auto-download"),v()}async function it(){await Promise.all([ne(),at(),zt().catch(()=>{})]),await fe();let e=f.open;f.chats=new Map,f.boot="ready",v(),e&&await Yt(e)}function Ms(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function te(e){f.chats.set(e.key,e),v()}async function Yt(e){f.open=e,v();let t=f.chats.get(e);if(!t||!t.ready){t=Ms(e),t.loading=!0,te(t);try{let n=await M(At(e,"",st)),o=f.chats.get(e),a=n.slice(),s=new Set(n.map(i=>i.id));for(let i of o.msgs)s.has(i.id)||(a.push(i),s.add(i.id));te({...o,msgs:a,ids:s,hasOlder:n.length===st,loading:!1,ready:!0})}catch(n){te({...f.chats.get(e),loading:!1}),w(n)}}e.startsWith("p:")&&eo(e.slice(2)),qe(e)}function to(){f.open="",v()}async function rt(e){let t=f.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;te({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await M(At(e,n,st)),a=f.chats.get(e),s=o.filter(i=>!a.ids.has(i.id));for(let i of s)a.ids.add(i.id);return te({...a,msgs:s.concat(a.msgs),hasOlder:o.length===st,loading:!1}),s.length}catch(n){return te({...f.chats.get(e),loading:!1}),w(n),0}}var Yn={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ne(e,{incoming:t=!1}={}){let n=de(e),o=f.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),te({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(p=>p.id===e.id);u&&(Yn[e.state]??0)>(Yn[u.state]??0)&&G(e.id,p=>({...p,state:e.state,pending:void 0}))}let a=f.convs.findIndex(u=>u.key===n),s=a>=0?f.convs[a]:null;if(s&&s.last&&s.last.id===e.id)return;let i=(s?s.unread:0)+(t&&!(f.open===n&&f.visible)?1:0),c={key:n,peer:e.peer||"",group:e.group||"",name:s&&s.name||e.peer_name||e.group_name||"",last:e,unread:i};f.convs=[c,...f.convs.filter(u=>u.key!==n)],v(),!s&&e.group&&!f.groups.has(e.group)&&V(e.group).catch(()=>{})}function G(e,t){let n=!1;for(let a of f.chats.values()){if(!a.ids.has(e))continue;let s=a.msgs.findLastIndex(c=>c.id===e);if(s<0)continue;let i=a.msgs.slice();i[s]=t(i[s]),te({...a,msgs:i}),n=!0}let o=f.convs.findIndex(a=>a.last&&a.last.id===e);if(o>=0){let a=f.convs.slice();a[o]={...a[o],last:t(a[o].last)},f.convs=a,n=!0}return n&&v(),n}var Ht=new Set;async function ct(e){for(let t of f.chats.values())if(t.ids.has(e))return;if(!Ht.has(e)){Ht.add(e);try{Ne(await M("/v1/messages/"+e))}catch{}finally{Ht.delete(e)}}}var Bt=new Map,Kn=new Set;function qe(e){if(!e||e!==f.open||!f.visible)return;let t=f.convs.find(i=>i.key===e),n=f.chats.get(e),o=n?n.msgs.filter(i=>i.direction==="in"&&i.state==="received").map(i=>i.id):[];if((!t||!t.unread)&&!o.length)return;if(Bt.has(e)){Kn.add(e);return}let a=new Set(o),s=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";Bt.set(e,!0),R(s).then(()=>{Zn.set(e,++Xn),f.convs=f.convs.map(c=>c.key===e?{...c,unread:0}:c);let i=f.chats.get(e);i&&te({...i,msgs:i.msgs.map(c=>a.has(c.id)&&c.state==="received"?{...c,state:"read"}:c)}),v()}).catch(w).finally(()=>{Bt.delete(e),Kn.delete(e)&&qe(e)})}function no(e){f.visible=e,v(),e&&qe(f.open)}async function oo(e,t){let n=e.slice(2),o=e.startsWith("g:")?await R("/v1/groups/"+n+"/messages",{text:t}):await R("/v1/messages",{to:n,text:t}),a=await M("/v1/messages/"+o.id);return Ne(a),a}var Ts=0;async function so(e,t,n){let o=++Ts,a=t.type.startsWith("image/")?URL.createObjectURL(t):"",s=On({key:e,file:t,caption:n,onProgress:i=>{f.uploads=f.uploads.map(c=>c.uid===o?{...c,loaded:i}:c),v()}});f.uploads=[...f.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:s.abort,preview:a}],v();try{let i=await s.promise,c=await M("/v1/messages/"+i);Ne(c),f.uploads=f.uploads.filter(u=>u.uid!==o)}catch(i){i.code==="aborted"?f.uploads=f.uploads.filter(c=>c.uid!==o):f.uploads=f.uploads.map(c=>c.uid===o?{...c,error:i.message}:c),i.code!=="aborted"&&w(i)}finally{a&&setTimeout(()=>URL.revokeObjectURL(a),6e4),v()}}function ao(e){f.uploads=f.uploads.filter(t=>t.uid!==e),v()}var ot=0,Vn=0;function lt(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(Vn);let o=Date.now();if(t){if(Vn=setTimeout(()=>lt(e,!1),5e3),o-ot<3e3)return;ot=o}else{if(!ot)return;ot=0}R(n,{active:t}).catch(()=>{})}async function Kt(e){try{await R("/v1/media/"+e+"/fetch"),G(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){w(t)}}function io(e){f.progress=new Map(f.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),v()}function ro(e){if(G(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&f.progress.has(e.id)){let t=new Map(f.progress);t.delete(e.id),f.progress=t,v()}}var Qn=0;function co(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[a,s]of f.typing){let i=new Map;for(let[c,u]of s)u>e?(i.set(c,u),t=Math.min(t,u)):n=!0;i.size&&o.set(a,i)}n&&(f.typing=o,v()),clearTimeout(Qn),t!==1/0&&(Qn=setTimeout(co,t-e+50))}function Vt(e,t,n,o){let a=new Map(f.typing),s=new Map(a.get(e)||[]);n?s.set(t,Wn(o)||Date.now()+6e3):s.delete(t),s.size?a.set(e,s):a.delete(e),f.typing=a,v(),co()}function lo(e){let t=f.presence.get(e.account)||{};f.presence=new Map(f.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),v()}async function Qt(e,t){await O("/v1/contacts/"+B(e),t?{name:t}:{}),await ne(),oe()}async function uo(e){await R("/v1/contacts/"+B(e)+"/verify");let t=new Map(f.identity);t.delete(e),f.identity=t,await ne()}async function po(e,t,n){let o=await R("/v1/groups",{name:e,description:t,members:n});return f.groups=new Map(f.groups).set(o.id,o),await fe(),o}async function ut(e){let t=await R("/v1/groups/join",{link:e});return await at(),await fe(),t}var pt=new Set;function F(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of pt)n()}}window.addEventListener("popstate",()=>{for(let e of pt)e()});function fo(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,a]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:a==="info"}:n==="contacts"||n==="me"||n==="settings"?{name:n}:{name:"home"}}function mo(){let[e,t]=h(()=>fo());return D(()=>{let n=()=>t(fo());return pt.add(n),()=>pt.delete(n)},[]),e}function q(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),F(t.getAttribute("href"))}var Jt=()=>"Notification"in window,dt=()=>Jt()?Notification.permission:"unsupported";async function ft(){return Jt()?Notification.requestPermission():"unsupported"}function go(e){if(!document.hidden||!Jt()||Notification.permission!=="granted")return;let t=de(e),n=H(t),o=e.group?W(e.sender)+" in "+n:n,a=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let s=new Notification(o,{body:a.slice(0,200),tag:t,icon:document.querySelector("link[rel=icon]").href});s.onclick=()=>{window.focus(),F(J(t)),s.close()}}catch{}}var ho="";function _o(){let e=0;for(let n of f.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==ho&&(ho=t,document.title=t)}var y=({name:e,label:t,class:n})=>t?r`<span class=${j("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:r`<span class=${j("icon","i-"+e,n)} aria-hidden="true"></span>`;function Q({name:e,online:t,small:n,group:o}){return r`<span class=${j("avatar",n&&"small")} aria-hidden="true">
    ${o?r`<${y} name="group" />`:Hn(e)}
    ${t&&r`<span class="dot"></span>`}
  </span>`}var Is=0;function P({title:e,onClose:t,children:n,actions:o,class:a,label:s}){let i=U(null),c=U("dlg"+ ++Is).current;return Pe(()=>{let u=i.current,p=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),p&&p.focus&&document.contains(p)&&p.focus()}},[]),r`<dialog
    ref=${i}
    class=${a}
    aria-labelledby=${s?void 0:c}
    aria-label=${s}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${c}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${y} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&r`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function se(){let e=U(null);return D(()=>{e.current&&e.current.focus()},[]),e}async function Ue(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}var Rs=["👍","❤️","😂","😮","😢","🙏"],Ps=24*3600*1e3,Ls=48*3600*1e3;function yo(e){switch(e.type){case"message_edited":G(e.id,t=>({...t,text:e.text,edited:!0,edits:e.edits,edited_at:e.edited_at}))||ct(e.id);return;case"message_deleted":G(e.id,t=>({...t,deleted:!0}))&&oe();return;case"reaction_changed":Es(e.id);return}}async function Es(e){try{let t=await M("/v1/messages/"+e);G(e,n=>({...n,reactions:t.reactions,text:t.text,edited:t.edited,edits:t.edits}))}catch{}}function vo(e){return e.direction==="out"||f.me&&e.sender===f.me.account}function As(e){if(vo(e))return Date.now()-Date.parse(e.sent_at)<Ls;if(!e.group)return!1;let t=f.groups.get(e.group);return!!(t&&t.settings&&t.settings.admins_delete&&(t.role==="admin"||t.role==="owner"))}async function bo(e,t){try{let n=await O("/v1/messages/"+e.id+"/reaction",{emoji:t});G(e.id,o=>({...o,reactions:n.reactions}))}catch(n){w(n)}}async function $o(e,t){try{await Y("/v1/messages/"+e.id+"?for="+(t?"everyone":"me")),G(e.id,n=>({...n,deleted:!0})),oe()}catch(n){w(n)}}function Ns({m:e,onClose:t}){let[n,o]=h(e.text||""),a=se();return r`<${P} title="Edit message" onClose=${t} class="edit-dialog">
    <form class="edit-form" onSubmit=${async i=>{i.preventDefault();let c=n.trim();if(!c||c===e.text)return t();try{let u=await O("/v1/messages/"+e.id,{text:c});G(e.id,p=>({...p,text:u.text,edited:!0,edits:u.edits,edited_at:u.edited_at})),t()}catch(u){w(u)}}}>
      <textarea ref=${a} aria-label="New text" value=${n} onInput=${i=>o(i.target.value)}></textarea>
      <p class="muted">${10-(e.edits||0)} edits left. Everyone in the chat sees that it was edited, and the earlier versions.</p>
      <div class="row">
        <button type="submit" class="btn primary">Save</button>
        <button type="button" class="btn" onClick=${t}>Cancel</button>
      </div>
    </form>
  </${P}>`}function qs({m:e,onClose:t}){let[n,o]=h(null),[a,s]=h("");return n===null&&!a&&M("/v1/messages/"+e.id+"/versions").then(i=>o(i||[])).catch(i=>s(i.message)),r`<${P} title="Edit history" onClose=${t}>
    ${a&&r`<p class="error-text">${a}</p>`}
    ${!n&&!a&&r`<p class="muted">Loading…</p>`}
    ${n&&r`<ol class="list versions">
      ${n.map(i=>r`<li key=${i.version} data-version=${i.version}>
          <span class="grow text">${i.text}</span>
          <span class="muted">${i.version===0?"original":"edit "+i.version} · <time datetime=${i.at}>${Ze(i.at)}</time></span>
        </li>`)}
    </ol>`}
  </${P}>`}function Us({m:e,onEdit:t,onClose:n}){let a=vo(e)&&(e.edits||0)<10&&Date.now()-Date.parse(e.sent_at)<Ps,s=i=>()=>{n(),i()};return r`<div class="msg-menu" role="menu" aria-label="Message actions">
    <div class="react-row" role="group" aria-label="React">
      ${Rs.map(i=>r`<button type="button" role="menuitem" class="emoji-btn" aria-label=${"React "+i} onClick=${s(()=>bo(e,i))}>${i}</button>`)}
    </div>
    ${a&&r`<button type="button" role="menuitem" class="menu-item" onClick=${s(t)}>Edit</button>`}
    <button type="button" role="menuitem" class="menu-item" onClick=${s(()=>$o(e,!1))}>Delete for me</button>
    ${As(e)&&r`<button type="button" role="menuitem" class="menu-item danger" onClick=${s(()=>$o(e,!0))}>Delete for everyone</button>`}
  </div>`}function Os({m:e}){if(!e.reactions||!e.reactions.length)return null;let t=f.me&&f.me.account;return r`<div class="reactions" aria-label="Reactions">
    ${e.reactions.map(n=>{let o=(n.accounts||[]).map(s=>s===t?"You":W(s)).join(", "),a=(n.accounts||[]).includes(t);return r`<button
        type="button"
        key=${n.emoji}
        class=${j("reaction",a&&"ours")}
        data-emoji=${n.emoji}
        data-count=${n.count}
        title=${o}
        aria-label=${n.emoji+" "+n.count+": "+o}
        onClick=${()=>bo(e,a?"":n.emoji)}
      >${n.emoji} ${n.count}</button>`})}
  </div>`}function wo({m:e}){let[t,n]=h("");return r`<div class="msg-actions">
    ${e.edited&&r`<button type="button" class="edited" onClick=${()=>n("versions")} aria-label="Edited: show earlier versions">edited</button>`}
    <${Os} m=${e} />
    <button type="button" class="icon-btn msg-menu-btn" aria-haspopup="menu" aria-expanded=${t==="menu"} aria-label="Message actions"
      onClick=${()=>n(t==="menu"?"":"menu")}>⋯</button>
    ${t==="menu"&&r`<${Us} m=${e} onEdit=${()=>n("edit")} onClose=${()=>n("")} />`}
    ${t==="edit"&&r`<${Ns} m=${e} onClose=${()=>n("")} />`}
    ${t==="versions"&&r`<${qs} m=${e} onClose=${()=>n("")} />`}
  </div>`}function ko({g:e}){let t=async n=>{try{await Le("/v1/groups/"+e.id,{settings:{...e.settings,admins_delete:n}}),await V(e.id)}catch(o){w(o)}};return r`<label class="field check">
    <input type="checkbox" checked=${!!(e.settings&&e.settings.admins_delete)} onChange=${n=>t(n.target.checked)} />
    <span>Admins can delete anyone's messages</span>
  </label>`}async function Ce(){f.devices=await M("/v1/devices"),v()}var mt=e=>(e||0).toLocaleString("en-US");function Fs(e){let t=f.devices&&f.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function xo(e){f.linkRequest=e,v()}function Co(e){f.linkOffer=null,f.linkRequest&&f.linkRequest.peer_id===e.peer_id&&(f.linkRequest=null),v(),L("Linked "+(e.name||"a new device")+". It is getting your history now."),Ce().catch(()=>{})}function So(){Ce().catch(()=>{})}function Do(e){f.historySync=e,v()}function js(e){return e.this?"":e.online?"online":e.last_seen?tt(e.last_seen):"not seen since it was linked"}function Ws(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function Hs({offer:e,onAgain:t}){let[n,o]=h(Date.now());return D(()=>{let a=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(a)},[]),Date.parse(e.expires)<=n?r`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:r`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${_e(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${a=>a.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${Ws(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>Bs(e)}>Cancel</button>
  </div>`}async function Bs(e){try{await pe("DELETE","/v1/devices/link",{code:e.code})}catch(t){w(t)}f.linkOffer=null,v()}function Gs({d:e,holdsKey:t}){let[n,o]=h(!1),[a,s]=h(e.name),i=async p=>{p.preventDefault();try{await O("/v1/devices/"+e.id,{name:a.trim()}),o(!1),await Ce()}catch(l){w(l)}},c=()=>{s(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await Y("/v1/devices/"+e.id),L("Revoked "+(e.name||"device "+e.id)+"."),await Ce()}catch(p){w(p)}};return n?r`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${i}>
        <input type="text" class="grow" aria-label="Device name" value=${a} maxlength="64" onInput=${p=>s(p.target.value)} />
        <button type="submit" class="btn" disabled=${!a.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:r`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&r` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,js(e),"added "+Ee(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${c} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&r`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function zs(){let e=b(n=>n.historySync);if(b(n=>n.devices),!e)return null;let t=Fs(e.device);return e.error?r`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${mt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?r`<p class="history-sync muted" role="status">History synced from ${t}: ${mt(e.total)} changes.</p>`:r`<p class="history-sync" role="status">Syncing history from ${t}: ${mt(e.done)} of ${mt(e.total)}</p>`}function Mo(){let e=b(o=>o.devices),t=b(o=>o.linkOffer);D(()=>{Ce().catch(w);let o=setInterval(()=>Ce().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{f.linkOffer=await R("/v1/devices/link"),v()}catch(o){w(o)}};return r`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>r`<${Gs} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${zs} />
    ${e&&(e.holds_account_key?t?r`<${Hs} offer=${t} onAgain=${n} />`:r`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:r`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function To(){let e=b(n=>n.linkRequest);if(!e)return null;let t=async n=>{f.linkRequest=null,v();try{await R("/v1/devices/link-requests/"+e.id,{accept:n}),n||L("The device was not linked.")}catch(o){w(o)}};return r`<${P}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${r`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var ae=null,Zt="",Oe=0,Xt=0,en=!1,Fe=250,Io=0,Ro=Promise.resolve();function ht(){if(clearTimeout(Io),ae)return;en=!!Zt;let e=en?"?epoch="+encodeURIComponent(Zt)+"&after="+Oe:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);ae=n,n.onmessage=o=>{let a;try{a=JSON.parse(o.data)}catch{return}Ro=Ro.then(()=>Ys(a)).catch(s=>console.error("pigeon: event",a.type,s))},n.onclose=()=>{ae===n&&(ae=null,f.conn="down",v(),Io=setTimeout(ht,Fe),Fe=Math.min(Fe*2,5e3))}}function tn(){if(!(ae&&ae.readyState===WebSocket.OPEN)){if(ae){let e=ae;ae=null,e.onclose=null,e.close()}Fe=250,ht()}}async function Ys(e){if(e.type==="hello"){Zt=e.epoch||"",Xt=e.seq||0,f.conn="live",Fe=250,v(),en||(Oe=Xt,await it());return}if(e.type==="reset"){Oe=Xt,await it();return}if(typeof e.seq=="number"){if(e.seq<=Oe)return;Oe=e.seq}Ks(e)}function Ks(e){switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ne(t,{incoming:n}),n&&(go(t),qe(de(t)),oe());return}case"message_state_changed":{G(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||ct(e.id);return}case"message_edited":case"message_deleted":case"reaction_changed":yo(e);return;case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])G(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Vt($e(e.from),e.from,e.active,e.until);return;case"group_typing":Vt(xe(e.group),e.from,e.active,e.until);return;case"presence":lo(e);return;case"group_changed":V(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?fe():null).catch(()=>{});return;case"group_receipt":f.receiptTick=(f.receiptTick||0)+1,v();return;case"media_progress":io(e);return;case"media_state":ro(e);return;case"contact_changed":ne().then(oe).catch(()=>{});return;case"identity_changed":f.identity=new Map(f.identity).set(e.account,e),v(),ne().catch(()=>{});return;case"storage":f.storageFull=e.state==="full",v(),f.storageFull&&L("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":xo(e);return;case"device_linked":Co(e);return;case"device_revoked":So(e);return;case"history_sync":Do(e);return;case"dropped":it().catch(()=>{}),at().catch(()=>{});return}}var Po=20,Vs=250;function Qs(e){let t=new TextEncoder().encode(e.text),n=new TextDecoder,o=[],a=0;for(let[s,i]of e.ranges||[]){if(s<a||i>t.length||s>i)break;s>a&&o.push({text:n.decode(t.subarray(a,s))}),o.push({text:n.decode(t.subarray(s,i)),mark:!0}),a=i}return a<t.length&&o.push({text:n.decode(t.subarray(a))}),o}function Js({h:e}){let t=e.message,n=de(t),o=t.group?t.group_name||H(n):t.peer_name||H(n),a=t.direction==="out"?"You":t.sender_name||W(t.sender);return r`<li>
    <a
      href=${J(n)}
      class="search-hit"
      data-id=${t.id}
      onClick=${s=>{s.button!==0||s.metaKey||s.ctrlKey||s.shiftKey||s.altKey||(s.preventDefault(),Xs(n,t.id))}}
    >
      <span class="top">
        <span class="name">${o}</span>
        <span class="time">${et(t.sent_at)}</span>
      </span>
      <span class="snippet">
        ${t.group||t.direction==="out"?a+": ":""}${e.snippet.field==="file_name"?"📎 ":""}
        ${Qs(e.snippet).map(s=>s.mark?r`<mark>${s.text}</mark>`:s.text)}
      </span>
    </a>
  </li>`}function Lo(){let[e,t]=h(""),[n,o]=h(null),[a,s]=h(!1),i=U(0),c=e.trim();D(()=>{if(!c){o(null);return}let p=++i.current,l=setTimeout(async()=>{try{let m=await M("/v1/search?q="+B(c)+"&limit="+Po);p===i.current&&o({q:c,hits:m.hits,next:m.next_cursor||""})}catch(m){if(p!==i.current)return;m.status===400?o({q:c,hits:[],next:"",error:m.message}):w(m)}},Vs);return()=>clearTimeout(l)},[c]);let u=async()=>{if(!(!n||!n.next||a)){s(!0);try{let p=await M("/v1/search?q="+B(n.q)+"&limit="+Po+"&cursor="+B(n.next));o(l=>l&&l.q===n.q?{...l,hits:l.hits.concat(p.hits),next:p.next_cursor||""}:l)}catch(p){w(p)}finally{s(!1)}}};return r`<div class="msg-search" role="search">
    <label>
      <${y} name="search" />
      <span class="sr-only">Search messages</span>
      <input
        type="search"
        id="message-search"
        placeholder="Search messages"
        value=${e}
        onInput=${p=>t(p.target.value)}
        onKeyDown=${p=>p.key==="Escape"&&t("")}
      />
    </label>
    ${n&&r`<div class="search-results" aria-live="polite">
      ${n.error?r`<p class="hint" role="alert">${n.error}</p>`:n.hits.length?r`<ul aria-label="Search results">
              ${n.hits.map(p=>r`<${Js} key=${p.message.id} h=${p} />`)}
            </ul>`:r`<p class="hint">No message matches “${n.q}”.</p>`}
      ${n.next&&r`<button type="button" class=${j("btn","more")} disabled=${a} onClick=${u}>More results</button>`}
    </div>`}
  </div>`}var ye=null,je=null;function Xs(e,t){ye={key:e,id:t},F(J(e)),je&&je.scroller&&je.props.chat.key===e&&gt(je)}function gt(e){je=e;let t=e.props.chat;if(!ye||ye.key!==t.key||!e.scroller)return;let n=t.msgs,o=n.findIndex(c=>c.id===ye.id);if(o<0){if(!t.ready||t.loading)return;if(!t.hasOlder){ye=null;return}rt(t.key);return}let{start:a,end:s}=e.state;if(o<a||o>=s){let c=Math.max(0,o-25);e.setState({start:c,end:Math.min(n.length,Math.max(o+25,c+50)),stick:!1});return}let i=e.scroller.querySelector('.msg[data-id="'+ye.id+'"]');i&&(ye=null,e.state.stick&&e.setState({stick:!1}),i.scrollIntoView({block:"center"}),i.classList.add("found"),setTimeout(()=>i.classList.remove("found"),2500))}function Zs(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||W(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function ea({c:e,current:t}){let n=e.name||H(e.key),o=b(c=>e.peer?c.presence.get(e.peer):null),a=b(c=>c.typing.has(e.key)),s=o&&o.state==="online",i=n+(e.unread?", "+e.unread+" unread":"")+(s?", online":"");return r`<li>
    <a
      href=${J(e.key)}
      class=${j("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${i}
      onClick=${q}
      data-key=${e.key}
    >
      <${Q} name=${n} group=${!!e.group} online=${s} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <span class="time">${e.last?et(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${a?r`<em>typing…</em>`:Zs(e)}</span>
          ${e.unread>0&&r`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`}function ta(){let[e,t]=h(dt()),[n,o]=h(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:r`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await ft())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${y} name="close" /></button>
  </div>`}function Eo({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let a=b(m=>m.convs),s=b(m=>m.conn),i=b(m=>m.me),[c,u]=h(""),p=c.trim().toLowerCase(),l=p?a.filter(m=>(m.name||H(m.key)).toLowerCase().includes(p)||(m.peer||m.group).startsWith(p)):a;return r`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${q} aria-label="My account and QR code"><${Q} small name=${i?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${y} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${y} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${y} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${q} aria-label="Contacts"><${y} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${q} aria-label="Settings"><${y} name="gear" /></a>
    </header>
    ${s==="down"&&r`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${ta} />
    <${Lo} />
    <div class="filter" role="search">
      <label>
        <${y} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${c}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&p&&l.length&&(m.preventDefault(),F(J(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>r`<${ea} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!l.length&&r`<li class="hint">${p?"No chat matches “"+c+"”.":r`No chats yet. <a href="/contacts" onClick=${q}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var No={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},na={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function nn({state:e}){let t=na[e];return t?r`<span class=${j("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${No[e]} data-state=${e}></span>`:null}function qo(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function Ao(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+Ft(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function Uo({prog:e,label:t}){return!e||!e.total?r`<progress aria-label=${t}></progress>`:r`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Oo({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",a=t&&t.direction==="download"?t:null;return r`<div class="file-card" data-media-state=${e.state}>
    <${y} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${ee(e.size)}${e.mime?" · "+e.mime:""}${Ao(e,a)&&" · "+Ao(e,a)}</div>
      ${o&&r`<${Uo} prog=${a} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?r`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>qt(e.id,e.name)}>
          <${y} name="download" />
        </button>`:!o&&r`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+ee(e.size)} onClick=${()=>Kt(e.id)}>
          <${y} name="download" />
        </button>`}
  </div>`}function oa({media:e,prog:t,onOpen:n}){let o=e.state==="local",a=qo(e.width,e.height),s=o?ke(e.id):e.thumbnail?Nt(e.id):"";if(!s)return r`<${Oo} media=${e} prog=${t} />`;let i=e.state==="fetching"||e.state==="retrying";return r`<div>
    <button type="button" class=${j("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${s} alt=${e.caption||e.name||"picture"} width=${a.width} height=${a.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&r`<div class="row file-meta">
      ${i?r`<${Uo} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:r`<button type="button" class="btn" onClick=${()=>Kt(e.id)}><${y} name="download" /> ${ee(e.size)}</button>`}
    </div>`}
  </div>`}function Fo({media:e,onClose:t}){return r`<${P} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${ke(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>qt(e.id,e.name)}><${y} name="download" /> Save</button>
    </div>
  </${P}>`}function sa({media:e,prog:t,onOpen:n}){let o=e.mime||"",a=e.state==="local";return o.startsWith("image/")?r`<${oa} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?r`<video
      class="media-video"
      controls
      preload=${a?"metadata":"none"}
      poster=${e.thumbnail?Nt(e.id):void 0}
      src=${ke(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${qo(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?r`<audio class="media-audio" controls preload=${a?"metadata":"none"} src=${ke(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:r`<${Oo} media=${e} prog=${t} />`}function jo({m:e,onClose:t}){let n=b(l=>l.receiptTick||0),o=b(l=>l.groups.get(e.group)),[a,s]=h(null),[i,c]=h("");D(()=>{M("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>s(l.receipts||{})).catch(l=>c(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!f.me||l.account!==f.me.account):[],p=new Set([...u.map(l=>l.account),...Object.keys(a||{})]);return r`<${P} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${i&&r`<p class="error-text">${i}</p>`}
    ${!a&&!i&&r`<p class="muted">Loading…</p>`}
    ${a&&r`<ul class="list receipts">
      ${[...p].map(l=>{let m=a[l]||"";return r`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${W(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${nn} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${P}>`}var Wo=Nn(function({m:t,sender:n,prog:o,onOpen:a,onInfo:s}){if(t.deleted)return null;let i=t.direction==="out";return r`<div class=${j("msg",i?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?r`<span class="sender">${n}</span>`:r`<span class="sr-only">${i?"You:":""}</span>`}
      ${t.media&&r`<${sa} media=${t.media} prog=${o} onOpen=${()=>a(t.media)} />`}
      ${t.text&&r`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${Ze(t.sent_at)}</time>
        ${i&&(t.group?r`<button type="button" aria-label=${"Message info: "+(No[t.state]||t.state)} onClick=${()=>s(t)}><${nn} state=${t.state} /></button>`:r`<${nn} state=${t.state} />`)}
      </span>
      ${i&&t.state==="pending"&&t.pending&&t.pending.reason&&r`<span class="why">${t.pending.reason}</span>`}
      <${wo} m=${t} />
    </div>
  </div>`});function Ho({u:e,onCancel:t}){return r`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&r`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?r`<span class="error-text">${e.error}</span>`:"sending "+Ft(e.loaded,e.size)+"% of "+ee(e.size)}</div>
      ${!e.error&&r`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var aa=0;function Bo({chatKey:e,dropped:t}){let[n,o]=h(""),[a,s]=h([]),[i,c]=h(!1),u=U(null),p=U(null),l=_=>{let k=[..._].map(x=>({id:++aa,file:x,preview:x.type.startsWith("image/")?URL.createObjectURL(x):""}));k.length&&s(x=>x.concat(k)),u.current&&u.current.focus()},m=_=>s(k=>k.filter(x=>(x.id===_&&x.preview&&URL.revokeObjectURL(x.preview),x.id!==_)));D(()=>{t&&t.length&&l(t)},[t]),D(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),D(()=>{let _=u.current;_&&(_.style.height="auto",_.style.height=_.scrollHeight+2+"px")},[n]);let g=async()=>{let _=n.trim();if(i||!_&&!a.length)return;let k=a;if(o(""),s([]),lt(e,!1),k.length){k.forEach((x,C)=>{so(e,x.file,C===0?_:"").finally(()=>x.preview&&URL.revokeObjectURL(x.preview))});return}c(!0);try{await oo(e,_)}catch(x){o(_),w(x)}finally{c(!1),u.current&&u.current.focus()}},d=_=>{_.key==="Enter"&&!_.shiftKey&&!_.isComposing&&(_.preventDefault(),g())},$=_=>{let k=_.clipboardData&&_.clipboardData.files;k&&k.length&&(_.preventDefault(),l(k))};return r`<div class="composer-wrap">
    ${a.length>0&&r`<ul class="staged" aria-label="Files to send">
      ${a.map(_=>r`<li class="staged-item" key=${_.id}>
          ${_.preview?r`<img src=${_.preview} alt="" />`:r`<${y} name="doc" />`}
          <span class="grow">${_.file.name} <span class="muted">${ee(_.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+_.file.name} onClick=${()=>m(_.id)}><${y} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${_=>{_.preventDefault(),g()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>p.current.click()}><${y} name="attach" /></button>
      <input ref=${p} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${_=>(l(_.target.files),_.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${a.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${a.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${_=>{o(_.target.value),_.target.value&&lt(e,!0)}}
        onKeyDown=${d}
        onPaste=${$}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${i}><${y} name="send" /></button>
    </form>
  </div>`}var _t=200,Se=50,Go=600,ia=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function ra({chatKey:e}){let t=b(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?r`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?r`<p class="older"> </p>`:r`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var on=class extends le{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-Se),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let a=o.length;if(!n.msgs||!n.msgs.length||!a)return{msgs:o,start:Math.max(0,a-Se),end:a,stick:!0,wantUp:!1};let s=n.msgs[0].id,i=0;if(o[0].id!==s&&(i=o.findIndex(l=>l.id===s),i<0))return{msgs:o,start:Math.max(0,a-Se),end:a,stick:!0,wantUp:!1};let c=n.start+i,u=n.end+i,p=n.end===n.msgs.length;return n.wantUp&&i>0?(c=Math.max(0,c-Se),u=Math.min(u,c+_t)):p&&n.stick&&(u=a,c=Math.max(c,u-_t)),{msgs:o,start:c,end:u,wantUp:n.wantUp&&i===0}}shouldComponentUpdate(t,n){let o=this.props,a=this.state;return t.chat.msgs!==o.chat.msgs||t.group!==o.group||t.progress!==o.progress||!ia(t.uploads,o.uploads)||n.msgs!==a.msgs||n.start!==a.start||n.end!==a.end||n.stick!==a.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check(),gt(this)}componentDidUpdate(t,n,o){let a=this.scroller;if(o&&o.stick)a.scrollTop=a.scrollHeight;else if(o&&o.id){let s=a.querySelector('.msg[data-id="'+o.id+'"]');s&&(a.scrollTop=s.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check()))),gt(this)}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:a}=this.state,s=n.msgs.length,i=t.scrollHeight-t.scrollTop-t.clientHeight,c=i<40&&a===s;if(c!==this.state.stick&&this.setState({stick:c}),t.scrollTop<Go)if(o>0){let u=Math.max(0,o-Se);this.setState({start:u,end:Math.min(a,u+_t),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),rt(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(i<Go&&a<s){let u=Math.min(s,a+Se);this.setState({end:u,start:Math.max(o,u-_t)})}}render({chat:t,group:n,progress:o,uploads:a},{start:s,end:i,stick:c}){let u=t.msgs,p=[];s===0&&p.push(r`<${ra} key="older" chatKey=${t.key} />`);for(let l=s;l<i;l++){let m=u[l],g=l>0?u[l-1]:null,d=Ot(m.sent_at),$=!g||Ot(g.sent_at)!==d;$&&p.push(r`<div class="day" role="separator" key=${"d"+m.id}>${Ee(m.sent_at)}</div>`);let _=n&&m.direction==="in"&&($||g.sender!==m.sender||g.direction!=="in")?m.sender_name||W(m.sender):"",k=m.media?o.get(m.media.id):void 0;p.push(r`<${Wo} key=${m.id} m=${m} sender=${_} prog=${k} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(i===u.length)for(let l of a)p.push(r`<${Ho} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?ao(l.uid):l.abort()} />`);return r`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${s}
        data-end=${i}
        data-total=${u.length}
      >
        ${p}
      </div>
      ${(!c||i<u.length)&&r`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${y} name="down" /> Latest</button>`}`}};function ca({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),a=e.slice(2),s=b(()=>H(e)),i=b(m=>o?null:m.presence.get(a)),c=b(m=>m.typing.get(e)),u="",p=!1;if(c&&c.size){p=!0;let m=[...c.keys()].map(W);u=o?m.join(", ")+(m.length>1?" are typing…":" is typing…"):"typing…"}else o?u=t?t.members.map(m=>f.me&&m.account===f.me.account?"You":m.name||W(m.account)).join(", "):"":i&&(u=i.state==="online"?"online":i.last_seen?tt(i.last_seen):"");let l=(o?"/group/":"/chat/")+a+"/info";return r`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${q}><${y} name="back" /></a>
    <${Q} name=${s} group=${o} online=${i&&i.state==="online"} />
    <div class="title">
      <button type="button" onClick=${()=>F(n?l.slice(0,-5):l)} aria-label=${(n?"Hide":"Show")+" details of "+s}>
        <h2>${s}</h2>
        <span class=${j("subtitle",p&&"typing")} data-presence=${i?i.state:""}>${u}</span>
      </button>
    </div>
    <a href=${n?l.slice(0,-5):l} class="icon-btn" onClick=${q} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${y} name="info" />
    </a>
  </header>`}function la({chat:e}){let[t,n]=h(""),o=U("");return D(()=>{let a=e.msgs[e.msgs.length-1];if(!a||a.id===o.current)return;let s=!o.current;o.current=a.id,!s&&a.direction==="in"&&n((a.sender_name||W(a.sender))+": "+(a.text||(a.media?"a file":"")))},[e.msgs]),r`<div class="sr-only" aria-live="polite">${t}</div>`}function zo({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),a=b(S=>S.chats.get(e)),s=b(S=>n?S.groups.get(o):null),i=b(S=>S.progress),c=b(S=>S.uploads),u=b(S=>n?null:S.identity.get(o)),[p,l]=h(null),[m,g]=h(null),[d,$]=h(!1),[_,k]=h(null),x=Je(S=>l(S),[]),C=Je(S=>g(S),[]),A=c.filter(S=>S.key===e),I=!n||!s||s.status==="active"&&(s.settings.post!=="admins"||s.role==="owner"||s.role==="admin"),ie=n&&s&&s.status!=="active"?s.status==="left"?"You left this group.":"You were removed from this group.":I?"":"Only admins can send messages to this group.",We=S=>{ie||!S.dataTransfer||![...S.dataTransfer.types].includes("Files")||(S.preventDefault(),$(!0))},be=S=>{$(!1),!(ie||!S.dataTransfer||!S.dataTransfer.files.length)&&(S.preventDefault(),k([...S.dataTransfer.files]))};return r`<section
    class="conversation"
    aria-label=${"Chat with "+H(e)}
    data-chat=${e}
    onDragOver=${We}
    onDragLeave=${S=>S.currentTarget===S.target&&$(!1)}
    onDrop=${be}
  >
    <${ca} chatKey=${e} group=${s} info=${t} />
    ${u&&r`<div class="banner" role="alert">
      <${y} name="shield" />
      <span class="grow">${H(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${q}>Compare</a>
    </div>`}
    ${a?r`<${on} key=${e} chat=${a} group=${n} progress=${i} uploads=${A} onOpenMedia=${x} onInfo=${C} />`:r`<div class="messages"></div>`}
    <${ua} chatKey=${e} />
    <${la} chat=${a||{msgs:[]}} />
    ${ie?r`<p class="readonly-note">${ie}</p>`:r`<${Bo} key=${e} chatKey=${e} dropped=${_} />`}
    ${d&&r`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${p&&r`<${Fo} media=${p} onClose=${()=>l(null)} />`}
    ${m&&r`<${jo} m=${m} onClose=${()=>g(null)} />`}
  </section>`}function ua({chatKey:e}){let t=b(o=>o.typing.get(e)),n=t?[...t.keys()].map(W):[];return r`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function ve({onText:e}){let[t,n]=h(!1),[o,a]=h(""),s=U(null),i=async(c,u)=>{try{let p=await Fn(c);if(p)return n(!1),a(""),e(p),!0}catch(p){u||a(p.message||"No QR code found in that image.")}return!1};return D(()=>{let c=u=>{let p=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));p&&(u.preventDefault(),i(p))};return document.addEventListener("paste",c),()=>document.removeEventListener("paste",c)},[]),r`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&r`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${y} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>s.current.click()}><${y} name="qr" /> QR code from an image</button>
      <input
        ref=${s}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${c=>{let u=c.target.files[0];c.target.value="",u&&i(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&r`<${pa} onFrame=${c=>i(c,!0)} onError=${c=>(a(c),n(!1))} />`}
    ${o&&r`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function pa({onFrame:e,onError:t}){let n=U(null);return D(()=>{let o=null,a=0,s=!1,i=document.createElement("canvas"),c=()=>{let u=n.current;if(!(s||!u)){if(u.videoWidth){i.width=u.videoWidth,i.height=u.videoHeight,i.getContext("2d").drawImage(u,0,0),i.toBlob(async p=>{p&&!s&&await e(p)&&(s=!0),s||(a=setTimeout(c,600))},"image/jpeg",.85);return}a=setTimeout(c,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,s)return u.getTracks().forEach(p=>p.stop());n.current.srcObject=u,n.current.play(),c()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{s=!0,clearTimeout(a),o&&o.getTracks().forEach(u=>u.stop())}},[]),r`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function Yo({onClose:e,initial:t}){let[n,o]=h(t||""),[a,s]=h(""),[i,c]=h(""),[u,p]=h(!1),l=se(),m=nt(n);D(()=>{m&&m.kind==="account"&&m.name&&!a&&s(m.name)},[n]);let g=async d=>{if(d.preventDefault(),!m){c("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}p(!0),c("");try{if(m.kind==="invite"){let $=await ut(m.link);L($.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+$.group);return}await Qt(m.account,a.trim()),e(),F("/chat/"+m.account)}catch($){c($.message)}finally{p(!1)}};return r`<${P}
    title="Add contact"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${g}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${d=>o(d.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&r`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&r`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${a} onInput=${d=>s(d.target.value)} />
      </label>`}
      ${i&&r`<p class="error-text" role="alert">${i}</p>`}
    </form>
    <${ve} onText=${d=>(o(d),c(""))} />
  </${P}>`}function Ko(){let e=b(a=>a.me),[t,n]=h(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=Bn(e.account,t.trim());return r`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>L(await Ue(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${y} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>L(await Ue(o)?"Contact link copied.":"Copy failed.")}>
        <${y} name="link" /> Copy contact link
      </button>
    </div>
    <label class="field">
      <span>Name to suggest in your link (optional)</span>
      <input
        type="text"
        value=${t}
        onInput=${a=>{n(a.target.value),localStorage.setItem("pigeon.my-name",a.target.value)}}
      />
    </label>
    <img class="qr" src=${_e(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${K(e.peer_id)}</p>
  </div>`}function Vo({onAdd:e}){let n=[...b(o=>o.contacts).values()].sort((o,a)=>(o.name||o.account).localeCompare(a.name||a.account));return r`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${q}><${y} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${y} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>r`<li key=${o.account} data-account=${o.account}>
              <${Q} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||K(o.account)}</strong>
                ${o.verified&&r` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&r` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${q}><${y} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&r`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${Ko} />
    </div>
  </section>`}function Qo(){return r`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${q}><${y} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${Ko} /></div>
  </section>`}function da({account:e}){let t=b(d=>d.contacts.get(e)),n=b(d=>d.identity.get(e)),[o,a]=h(""),[s,i]=h(""),[c,u]=h(!1),[p,l]=h(null);D(()=>{M("/v1/contacts/"+B(e)+"/safety-number").then(d=>a(d.safety_number)).catch(d=>i(d.message))},[e,t&&t.identity_changed_at,n]);let m=Gn(o).split(" ").filter(Boolean),g=async()=>{try{await uo(e),L("Marked as verified.")}catch(d){w(d)}};return r`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&r`<p class="banner" role="alert"><${y} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${s&&r`<p class="error-text">${s}</p>`}
    ${o&&r`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((d,$)=>r`<span key=${$}>${d}</span>`)}</div>
      <img class="qr" src=${_e(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${c&&r`<${ve}
      onText=${d=>{u(!1),l(d.replace(/\s/g,"")===o)}}
    />`}
    ${p===!0&&r`<p class="verified" role="status">The numbers match.</p>`}
    ${p===!1&&r`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!c)}><${y} name="camera" /> ${c?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?r`<span class="verified"><${y} name="shield" /> Verified</span>`:r`<button type="button" class="btn primary" onClick=${g} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var fa=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function ma({account:e}){let[t,n]=h(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async a=>{try{await O("/v1/conversations/"+B(e)+"/auto-download",{max_bytes:Number(a)}),localStorage.setItem("pigeon.auto."+e,a),n(a)}catch(s){w(s)}};return r`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${a=>o(a.target.value)}>
      ${fa.map(([a,s])=>r`<option value=${String(a)}>${s}</option>`)}
    </select>
  </label>`}function Jo({account:e}){let t=b(c=>c.contacts.get(e)),n=b(c=>c.presence.get(e)),[o,a]=h(t?t.name:"");D(()=>a(t?t.name:""),[t&&t.name]);let s=async c=>{c.preventDefault();try{await O("/v1/contacts/"+B(e),{name:o.trim()}),await ne(),oe(),L("Saved.")}catch(u){w(u)}},i=async()=>{if(confirm("Remove this contact? The chat stays."))try{await Y("/v1/contacts/"+B(e)),await ne()}catch(c){w(c)}};return r`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${q} aria-label="Close details"><${y} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?r`<form onSubmit=${s} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${c=>a(c.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:r`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>Qt(e,"").catch(w)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&r`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${da} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${ma} account=${e} />
    </div>
    ${t&&r`<div class="section"><button type="button" class="btn danger" onClick=${i}><${y} name="trash" /> Remove contact</button></div>`}
  </aside>`}function Xo({chosen:e,onChange:t,exclude:n}){let a=[...b(s=>s.contacts).values()].filter(s=>!n||!n.has(s.account));return a.length?r`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${a.map(s=>r`<label key=${s.account}>
        <input
          type="checkbox"
          checked=${e.has(s.account)}
          onChange=${i=>{let c=new Set(e);i.target.checked?c.add(s.account):c.delete(s.account),t(c)}}
        />
        ${s.name||K(s.account)}
      </label>`)}
  </fieldset>`:r`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function Zo({onClose:e}){let[t,n]=h(""),[o,a]=h(""),[s,i]=h(new Set),[c,u]=h(""),[p,l]=h(!1),m=se(),g=async d=>{if(d.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let $=await po(t.trim(),o.trim(),[...s]);e(),F("/group/"+$.id)}catch($){u($.message)}finally{l(!1)}};return r`<${P}
    title="New group"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${p}>Create</button>`}
  >
    <form id="new-group" onSubmit=${g}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${d=>n(d.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${d=>a(d.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${Xo} chosen=${s} onChange=${i} />
      ${c&&r`<p class="error-text" role="alert">${c}</p>`}
    </form>
  </${P}>`}function es({onClose:e}){let[t,n]=h(""),[o,a]=h(""),[s,i]=h(!1),c=se(),u=async p=>{let l=nt(p);if(!l||l.kind!=="invite"){a("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}i(!0),a("");try{let m=await ut(l.link);L(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+m.group)}catch(m){a(m.message)}finally{i(!1)}};return r`<${P}
    title="Join a group"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${s}>${s?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${p=>{p.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${c} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${p=>n(p.target.value)} placeholder="pgi…" /></label>
      ${o&&r`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${ve} onText=${p=>(n(p),u(p))} />
  </${P}>`}var an=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function ha({g:e}){let[t,n]=h(""),[o,a]=h("86400"),s=async()=>{try{let c=await R("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(c.link),V(e.id)}catch(c){w(c)}},i=async()=>{try{await R("/v1/groups/invites/revoke",{link:t}),n(""),V(e.id),L("Invite link revoked: nobody can join with it now.")}catch(c){w(c)}};return r`<div class="section invites">
    <h3>Invite link</h3>
    ${t?r`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${_e(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>L(await Ue(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${y} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${i}>Revoke</button>
          </div>`:r`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${c=>a(c.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${s}><${y} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&r`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function ga({g:e}){let t=b(l=>l.contacts),[n,o]=h(!1),[a,s]=h(new Set),i=f.me&&f.me.account,c=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await V(e.id)}catch(m){w(m)}},p="/v1/groups/"+e.id+"/members";return r`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===i?"You":l.name||(t.get(l.account)||{}).name||K(l.account);return r`<li key=${l.account} data-account=${l.account}>
          <${Q} small name=${m} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&r`<span class="role">${l.role}</span>`}
          ${c&&l.account!==i&&l.role!=="owner"&&r`<span class="row">
            ${l.role==="member"?r`<button type="button" class="btn" onClick=${()=>u(()=>O(p+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&r`<button type="button" class="btn" onClick=${()=>u(()=>O(p+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>Y(p+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${an(e,"add")&&(n?r`<div>
          <${Xo} chosen=${a} onChange=${s} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!a.size}
              onClick=${()=>u(async()=>{await R(p,{accounts:[...a],role:"member"}),o(!1),s(new Set)})}
            >
              Add ${a.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:r`<button type="button" class="btn" onClick=${()=>o(!0)}><${y} name="person-add" /> Add members</button>`)}
  </div>`}function sn({g:e,k:t,label:n}){let o=async a=>{try{await Le("/v1/groups/"+e.id,{settings:{...e.settings,[t]:a}}),await V(e.id)}catch(s){w(s)}};return r`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${a=>o(a.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function _a({g:e}){return r`<div class="section">
    <h3>Permissions</h3>
    <${sn} g=${e} k="post" label="Who can send messages" />
    <${sn} g=${e} k="add" label="Who can add members" />
    <${sn} g=${e} k="edit_info" label="Who can change name and description" />
    <${ko} g=${e} />
  </div>`}function ts({id:e}){let t=b(l=>l.groups.get(e)),[n,o]=h(null),[a,s]=h(null);if(!t)return r`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let i=t.status==="active",c=i&&an(t,"edit_info"),u=async l=>{l.preventDefault();try{await Le("/v1/groups/"+e,{name:(n??t.name).trim(),description:(a??t.description??"").trim()}),await V(e),await fe(),o(null),s(null),L("Saved.")}catch(m){w(m)}},p=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await R("/v1/groups/"+e+"/leave"),await V(e)}catch(l){w(l)}};return r`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${q} aria-label="Close details"><${y} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${c?r`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${a??t.description??""} onInput=${l=>s(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&a===null}>Save</button>
          </form>`:r`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${i?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${i&&r`<${ga} g=${t} />`}
    ${i&&an(t,"add")&&r`<${ha} g=${t} />`}
    ${i&&(t.role==="owner"||t.role==="admin")&&r`<${_a} g=${t} />`}
    ${i&&r`<div class="section"><button type="button" class="btn danger" onClick=${p}>Leave group</button></div>`}
  </aside>`}function cn(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function $a(){let[e,t]=h(null),[n,o]=h(""),[a,s]=h(""),i=()=>M("/v1/relays").then(t).catch(w);D(()=>{i();let p=setInterval(i,1e4);return()=>clearInterval(p)},[]);let c=async p=>{p.preventDefault();try{await R("/v1/relays",a.trim()?{addr:n.trim(),invite:a.trim()}:{addr:n.trim()}),o(""),s(""),L("Relay added: the node reserves a slot there now."),i()}catch(l){w(l)}},u=async p=>{if(confirm("Stop using relay "+K(p.peer_id)+"? What its mailbox holds for you is taken first."))try{await Y("/v1/relays/"+p.peer_id),i()}catch(l){w(l)}};return r`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(p=>r`<li key=${p.peer_id} data-peer=${p.peer_id}>
          <span class="grow">
            <span class="mono">${p.addr}</span>
            <div class="relay-stats">
              ${p.closing?"closing":p.reserved?"connected":"not connected"}
              ${p.latency_ms?" · "+p.latency_ms.toFixed(1)+" ms":""}
              ${p.region?" · "+p.region:""}
              ${p.mailbox?" · mailbox":""}
              ${p.push&&p.push!=="off"?" · push "+p.push+(p.push_reason?" ("+p.push_reason+")":""):""}
              ${p.last_error?r` · <span class="error-text">${p.last_error}</span>`:""}
            </div>
          </span>
          ${!p.closing&&r`<button type="button" class="btn danger" onClick=${()=>u(p)} aria-label=${"Remove relay "+p.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&r`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${c}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${p=>o(p.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${a} onInput=${p=>s(p.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function ya(){let[e,t]=h(null),[n,o]=h("unifiedpush"),[a,s]=h(""),[i,c]=h(""),[u,p]=h(""),l=()=>M("/v1/push").then(t).catch(w);D(()=>{l()},[]);let m=async d=>{d.preventDefault();let $={kind:n};n==="unifiedpush"||n==="webhook"?$.url=a.trim():$.token=i.trim(),n==="apns"&&($.topic=u.trim());try{await O("/v1/push",$),L("Push endpoint set; each relay says below whether it will use it."),l()}catch(_){w(_)}},g=async()=>{try{await Y("/v1/push"),l()}catch(d){w(d)}};return r`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&r`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(d=>r`<li key=${d.peer_id}><span class="grow mono">${K(d.peer_id)}</span><span>${d.state}${d.reason?": "+d.reason:""}</span></li>`)}
      </ul>`}
    <form onSubmit=${m}>
      <label class="field">
        <span>Kind</span>
        <select value=${n} onChange=${d=>o(d.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${n==="unifiedpush"||n==="webhook"?r`<label class="field"><span>URL</span><input type="url" value=${a} onInput=${d=>s(d.target.value)} /></label>`:r`<label class="field"><span>Token</span><input type="text" value=${i} onInput=${d=>c(d.target.value)} /></label>`}
      ${n==="apns"&&r`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${d=>p(d.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&r`<button type="button" class="btn danger" onClick=${g}>Turn off</button>`}
      </div>
    </form>
  </div>`}function va(){let[e,t]=h("");D(()=>{M("/v1/presence/privacy").then(o=>t(o.who)).catch(w)},[]);let n=async o=>{try{await O("/v1/presence/privacy",{who:o}),t(o),L("Saved.")}catch(a){w(a)}};return r`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${o=>n(o.target.value)}>
        ${!e&&r`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var rn=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function ba(){let e=b(a=>a.autoDownload),t=e?e.max_bytes:null,n=t==null||rn.some(([a])=>a===t)?rn:[...rn,[t,"Files up to "+ee(t)]],o=async a=>{try{await O("/v1/media-settings/auto-download",{max_bytes:Number(a)}),await zt()}catch(s){w(s)}};return r`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${a=>o(a.target.value)}>
        ${n.map(([a,s])=>r`<option value=${String(a)}>${s}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function wa(){let[e,t]=h(localStorage.getItem("pigeon.theme")||"system"),[n,o]=h(dt()),a=s=>{localStorage.setItem("pigeon.theme",s),t(s),cn(s)};return r`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(s=>r`<label key=${s}><input type="radio" name="theme" value=${s} checked=${e===s} onChange=${()=>a(s)} /> ${s==="system"?"Follow the system":s==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":r` <button type="button" class="btn" onClick=${async()=>o(await ft())}>Turn on</button>`}
    </p>
  </div>`}function ka(){return r`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await R("/v1/web/logout")}catch(t){if(t.status!==401)return w(t)}f.boot="signedout",f.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function ns(){return r`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${q}><${y} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${Mo} />
      <${wa} />
      <${va} />
      <${ba} />
      <${$a} />
      <${ya} />
      <${ka} />
    </div>
  </section>`}function xa(){let e=f.convs.map(n=>({key:n.key,name:n.name||H(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of f.contacts.values()){let o=$e(n.account);t.has(o)||e.push({key:o,name:n.name||H(o),group:!1})}return e}function os({onClose:e}){let[t,n]=h(""),[o,a]=h(0),s=se(),i=t.trim().toLowerCase(),c=xa(),u=(i?c.filter(g=>g.name.toLowerCase().includes(i)):c).slice(0,50),p=Math.min(o,u.length-1),l=g=>{g&&(e(),F(J(g.key)))},m=g=>{g.key==="ArrowDown"?(g.preventDefault(),a((p+1)%Math.max(1,u.length))):g.key==="ArrowUp"?(g.preventDefault(),a((p-1+u.length)%Math.max(1,u.length))):g.key==="Enter"&&(g.preventDefault(),l(u[p]))};return r`<${P} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${s}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+p:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${g=>(n(g.target.value),a(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((g,d)=>r`<li id=${"sw-"+d} key=${g.key} role="option" aria-selected=${d===p?"true":"false"} onClick=${()=>l(g)} data-key=${g.key}>
          <${Q} small name=${g.name} group=${g.group} />
          ${g.name}
        </li>`)}
      ${!u.length&&r`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${P}>`}var Ca=500,$t=null,ss="";function is(){return f.boot="setup",f.setup=null,v(),new Promise(e=>{$t=e,cs()})}function rs(){let e=$t;$t=null,e&&e()}async function cs(){if($t){try{f.setup=await M("/v1/setup"),f.setupDown=""}catch(e){f.setupDown=e.message}if(v(),f.setup&&f.setup.state==="ready"){rs();return}setTimeout(cs,Ca)}}var as=e=>(e||0).toLocaleString("en-US");function Sa({failed:e,onLink:t}){let[n,o]=h(!1),[a,s]=h("");return r`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),s("");try{await R("/v1/setup/create"),f.setup={state:"creating"},v()}catch(c){s(c.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(a||e)&&r`<p class="error-text setup-error" role="alert">${a||e.error}</p>`}
  </div>`}function Da({failed:e,onBack:t}){let[n,o]=h(""),[a,s]=h(ss),[i,c]=h(!1),[u,p]=h(""),l=async g=>{g.preventDefault(),c(!0),p("");try{await R("/v1/setup/link",{code:n.trim(),name:a.trim()}),f.setup={state:"linking"},v()}catch(d){p(d.message)}c(!1)},m=u||e&&e.error;return r`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${g=>o(g.target.value)}></textarea>
    </label>
    <${ve} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${a} onInput=${g=>s(ss=g.target.value)} />
    </label>
    ${m&&r`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${i||!n.trim()}>Link this device</button>
    </div>
  </form>`}function ls(){let e=b(s=>s.setup),t=b(s=>s.setupDown),[n,o]=h(""),a;if(!e)a=r`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")a=r`<p role="status">Creating your account…</p>`;else if(e.state==="linking")a=e.sas?r`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:r`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let s=e.history||{};a=r`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${s.error?"Getting your history stopped ("+s.error+"); it goes on when the devices meet again.":"Getting your history: "+as(s.done)+" of "+as(s.total)}</p>
      <progress max=${s.total||1} value=${s.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${rs}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?a=r`<${Da} failed=${e.error} onBack=${()=>o("choice")} />`:a=r`<p>This device has no Pigeon account yet.</p><${Sa} failed=${e.error} onLink=${()=>o("link")} />`;return r`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${a}
    ${t&&r`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function Ma(){return r`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function Ta(){let e=b(t=>t.toasts);return r`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>r`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>Gt(t.id)}><${y} name="close" /></button>
      </div>`)}
  </div>`}function Ia(){return r`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function Ra(){let e=b(c=>c.boot),t=b(c=>c.storageFull),n=mo(),[o,a]=h("");if(D(()=>{n.name==="chat"?Yt(n.key):to()},[n.name,n.key,e]),D(()=>{let c=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),a("switcher"))};return document.addEventListener("keydown",c),()=>document.removeEventListener("keydown",c)},[]),e==="signedout")return r`<${Ma} />`;if(e==="setup")return r`<${ls} />`;if(e==="error")return r`<main class="signin"><h1>Pigeon</h1><p class="error-text">${f.bootError}</p></main>`;let s=()=>a(""),i;if(n.name==="chat"){let c=r`<${zo} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?r`<${ts} id=${n.key.slice(2)} />`:r`<${Jo} account=${n.key.slice(2)} />`);i=r`<main class="pane" id="main">${u?r`<div class="with-drawer">${c}${u}</div>`:c}</main>`}else n.name==="contacts"?i=r`<${Vo} onAdd=${()=>a("contact")} />`:n.name==="me"?i=r`<${Qo} />`:n.name==="settings"?i=r`<${ns} />`:i=r`<${Ia} />`;return r`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${Eo}
      current=${n.key}
      onNewGroup=${()=>a("group")}
      onAddContact=${()=>a("contact")}
      onJoin=${()=>a("join")}
    />
    ${t&&r`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${i}
    ${o==="switcher"&&r`<${os} onClose=${s} />`}
    ${o==="group"&&r`<${Zo} onClose=${s} />`}
    ${o==="contact"&&r`<${Yo} onClose=${s} />`}
    ${o==="join"&&r`<${es} onClose=${s} />`}
    <${To} />
    <${Ta} />
  </div>`}function Pa(){let e=b(t=>t.conn);return D(()=>{document.body.dataset.conn=e},[e]),r`<${Ra} />`}function La(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function Ea(){qn(()=>{f.boot="signedout",v()});let e=M("/v1/info");e.catch(()=>{}),await La();let t=document.getElementById("app");t.textContent="",t.className="",Dt(r`<${Pa} />`,t);try{f.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await is(),f.boot="loading",M("/v1/info")})}catch(n){n.status!==401&&(f.boot="error",f.bootError=n.message),v();return}v(),ht(),document.addEventListener("visibilitychange",()=>{no(document.visibilityState==="visible"),document.hidden||tn()}),window.addEventListener("online",tn),Jn(_o)}cn();Ea();
