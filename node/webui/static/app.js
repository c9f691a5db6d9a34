/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var I,Cn,ta,fe,Dt,Ze,Sn,Je,Mn,It,Tt,na,Le=Symbol.for("pv"),et={},tt=[],oa=/^m(i|n|o|s|text|space)$/,Rt=Array.isArray,Pt=tt.slice,be=Object.assign;function ve(e){e&&e.parentNode&&e.remove()}function Dn(e,t,n){var o,a,s,r={},c=arguments.length;for(s in t)s=="key"?o=t[s]:s=="ref"&&typeof e!="function"?a=t[s]:r[s]=t[s];return c>2&&(r.children=c>3?Pt.call(arguments,2):n),Ee(e,r,o,a,null)}function Ee(e,t,n,o,a){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Le,__v:a||++Cn,__i:-1,__u:0};return!a&&I.vnode&&I.vnode(s),s}function Ae(e){return e.children}function me(e,t){this.props=e,this.context=t,this.__g=0}function he(e,t){if(t==null)return e.__&&he(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:he(e)}function sa(e){var t,n=e.__v,o=n.__e,a=[],s=[],r=e.__P;r&&((t=be({constructor:Le},n)).__v=n.__v+1,I.vnode&&I.vnode(t),qt(r,t,n,e.__n,r.namespaceURI,32&n.__u?[o]:null,a,o||he(n),32&n.__u,s),t.__v=n.__v,t.__.__k[t.__i]=t,En(a,t,s),n.__=n.__e=null,t.__e!=o&&Tn(t))}function Tn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),Tn(e)}function kn(e){(8&e.__g||(e.__g|=8,fe.push(e),Ze++))&&Dt==I.debounceRendering||((Dt=I.debounceRendering)||queueMicrotask)(In)}function In(){try{for(var e,t=1;fe.length;)fe.length>t&&fe.sort(Sn),e=fe.shift(),t=fe.length,8&e.__g&&sa(e)}finally{(Ze=fe.length)&&(Dt||queueMicrotask)(In)}}function Rn(e,t,n,o,a,s,r,c,p,u,l){var m,g,f,w,y,k,C=o.__k||tt,S=t.length;for(p=aa(n,t,C,p,S),m=0;m<S;m++)(f=n.__k[m])!=null&&(g=~f.__i&&C[f.__i]||et,f.__i=m,k=qt(e,f,g,a,s,r,c,p,u,l),w=f.__e,(g.ref!=f.ref||8&g.__u)&&(g.ref&&Et(g.ref,null,f,g),f.ref&&l.push(f.ref,f.__c||w,f)),y=y||w,4&f.__u?(p=Pn(f,p,e,!g.__v),g.__e&&(g.__e=null)):typeof f.type=="function"&&k!==void 0?p=k:w&&(p=w.nextSibling),f.__u&=-21);return n.__e=y,p}function aa(e,t,n,o,a){var s,r,c,p,u,l,m,g,f,w=n.length,y=w,k=0,C=0,S=e.__k=Array(a);for(s=0;s<a;s++)(r=t[s])!=null&&typeof r!="boolean"&&typeof r!="function"?(typeof r!="object"||r.constructor===String?r=S[s]=Ee(null,r):Rt(r)?r=S[s]=Ee(Ae,{children:r}):r.constructor===Le&&r.__b?r=S[s]=Ee(r.type,r.props,r.key,r.ref,r.__v):S[s]=r,p=s+k,r.__=e,r.__b=e.__b+1,c=null,~(u=r.__i=ra(r,n,p,y))&&(y--,(c=n[u])&&(c.__u|=2)),c&&c.__v?(r.__u|=16,u==p-1?k--:u==p+1?k++:u!=p&&(u>p?k--:k++,C=1)):(~u||(a>w?k--:a<w&&k++),typeof r.type!="function"&&(r.__u|=4))):S[s]=null;if(C){for(l=[],m=[],s=0;s<a;s++)if((r=S[s])&&16&r.__u){for(k=0,g=l.length;k<g;)l[f=k+g>>1]<r.__i?k=f+1:g=f;l[k]=r.__i,m[s]=k+1}for(k=l.length;s--;)m[s]&&(m[s]==k?k--:S[s].__u|=4)}if(y)for(s=0;s<w;s++)!(c=n[s])||2&c.__u||(c.__e==o&&(o=he(c)),Lt(c,c));return o}function Pn(e,t,n,o){var a,s,r,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(a=e.__k)for(s=0;s<a.length;s++)a[s]&&(a[s].__=e,t=Pn(a[s],t,n,!1));return t}for(t&&!t.parentNode&&(t=he(e))&&!t.parentNode&&(t=null),r=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(r!=c&&(!o&&n.moveBefore&&r.parentNode?n.moveBefore(r,t):n.insertBefore(r,t||null)),t=r;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function ra(e,t,n,o){var a,s=e.key,r=e.type,c=t[n],p=c&&!(2&c.__u);if(c===null&&s==null||p&&s==c.key&&r==c.type)return n;if(o>(p?1:0)){for(a=n-1;a>=0;a--)if((c=t[a])&&!(2&c.__u)&&s==c.key&&r==c.type)return a;for(a=n+1;a<t.length;a++)if((c=t[a])&&!(2&c.__u)&&s==c.key&&r==c.type)return a}return-1}function xn(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Ke(e,t,n,o,a){var s,r;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||xn(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||xn(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(r=Tt[t]||(Tt[t]=ia(t)),(e.__a||(e.__a={}))[t]=It,s=t!=(t=t.replace(Mn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,r,s):e.removeEventListener(t,r,s));else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function ia(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[Je]==null)t[Je]=It++;else if(t[Je]<this.__a[e])return;return n(I.event?I.event(t):t)}}}function qt(e,t,n,o,a,s,r,c,p,u){var l,m,g,f,w,y,k,C,S,L,E,qe,ye,Ce,oe,D,de,_e,se=t.type;if(t.constructor!==Le)return null;128&n.__u&&(p=32&n.__u,l=n.__c.__z)&&(t.__u|=p,m=s=[],l.nodeType==8?c=Xe(l,s):s.push(l),c=s[0]||c),(l=I.__b)&&l(t);e:if(typeof se=="function"){g=r.length;try{if(C=t.props,S=(l=se.prototype)&&l.render,L=(l=se.contextType)&&o[l.__c],E=l?L?L.props.value:l.__:o,(f=n.__c)?(t.__c=f,2&f.__g&&(f.__g|=1)):(S?t.__c=f=new se(C,E):(t.__c=f=new me(C,E),f.constructor=se,f.render=la),L&&L.sub(f),f.state||(f.state={}),f.__n=o,f.__g|=8,f.__h=[],f.__k=[]),S&&(f.__s||(f.__s=f.state),se.getDerivedStateFromProps&&(f.__s==f.state&&(f.__s=be({},f.__s)),be(f.__s,se.getDerivedStateFromProps(C,f.__s)))),w=f.props,y=f.state,f.__v=t,n.__c){if(C!==w&&S&&!se.getDerivedStateFromProps&&f.componentWillReceiveProps&&f.componentWillReceiveProps(C,E),t.__v==n.__v&&!(8&f.__g)||!(4&f.__g)&&f.shouldComponentUpdate&&f.shouldComponentUpdate(C,f.__s,E)===!1){t.__v!=n.__v&&(f.props=C,f.state=f.__s,f.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(K){K&&(K.__=t)}),tt.push.apply(f.__h,f.__k),f.__k=[],f.__h.length&&r.push(f),c=he(n);break e}f.componentWillUpdate&&f.componentWillUpdate(C,f.__s,E),S&&f.componentDidUpdate&&f.__h.push(function(){f.componentDidUpdate(w,y,k)})}else S&&!se.getDerivedStateFromProps&&f.componentWillMount&&f.componentWillMount(),S&&f.componentDidMount&&f.__h.push(f.componentDidMount);f.context=E,f.props=C,f.__P=e,f.__g&=-5,qe=I.__r,ye=S?25:0;do f.__g&=-9,qe&&qe(t),l=f.render(f.props,f.state=f.__s,f.context);while(8&f.__g&&++ye<25);S&&(tt.push.apply(f.__h,f.__k),f.__k=[]),f.state=f.__s,f.getChildContext&&(o=be({},o,f.getChildContext())),S&&n.__c&&f.getSnapshotBeforeUpdate&&(k=f.getSnapshotBeforeUpdate(w,y)),Ce=l&&l.type===Ae&&l.key==null?l.props.children:l,C.__P&&(l=c,a=(e=C.__P).namespaceURI,p=s=null,n.props&&n.props.__P!=e&&(n.__k.some(function(K){K&&Lt(K,K)}),n.__k=null),c=n.__k?he(n,0):null),c=Rn(e,Rt(Ce)?Ce:[Ce],t,n,o,a,s,r,c,p,u),C.__P&&(t.__e=null,c=l),t.__u&=-161,m&&m.some(ve),f.__h.length&&r.push(f),1&f.__g&&(f.__g&=-4)}catch(K){if(r.length=g,t.__v=null,p||s)if(K&&K.then){if(t.__u|=128|p,s){for(~(de=s.indexOf(c||void 0))||(de=s.length);(_e=s[de-1])&&_e.nodeType==8;)de--;for(;de<s.length;de++)if(_e=s[de])if(s[de]=null,oe){if(_e==D)break}else{if(_e.nodeType!=8)break;_e.data.startsWith("$s")&&(D=Xe(oe=_e))}}if(!oe){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;oe=c}(l=Xe(oe=t.__c.__z||(t.__c.__z=oe)))?(t.__e=oe,c=l):t.__e=c,c=c&&c.nextSibling}else s&&s.some(ve);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),K&&K.then||qn(t),I.__e(K,t,n)}}else c=t.__e=ca(n.__e,t,n,o,a,s,r,p,u,e);return(l=I.diffed)&&l(t),c}function Xe(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function qn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(qn))}function En(e,t,n){for(var o=0;o<n.length;)Et(n[o++],n[o++],n[o++]);I.__c&&I.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(s){s.call(a)})}catch(s){I.__e(s,a.__v)}})}function ca(e,t,n,o,a,s,r,c,p,u){var l,m,g,f,w,y,k,C,S=n.props||et,L=t.props,E=t.type;if(E=="svg"?a="http://www.w3.org/2000/svg":E=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),s){for(l=0;l<s.length;l++)if((w=s[l])&&(E?w.localName==E:w.nodeType==3)){e=w,s[l]=null;break}}if(!e){if(C=u.ownerDocument||document,!E)return C.createTextNode(L);e=C.createElementNS(a,E,L.is?L:u),c&&(I.__m&&I.__m(t,s),c=!1),s=null}if(E){if(u=E=="template"&&e.content||e,s=E=="textarea"&&L.defaultValue!=null?null:s&&Pt.call(u.childNodes),!c&&s)for(S={},l=0;l<e.attributes.length;l++)S[(w=e.attributes[l]).name]=w.value;for(l in S)w=S[l],l=="dangerouslySetInnerHTML"?g=w:l=="children"||l in L||l=="value"&&"defaultValue"in L||l=="checked"&&"defaultChecked"in L||Ke(e,l,null,w,a);for(l in L)w=L[l],l=="children"?f=w:l=="dangerouslySetInnerHTML"?m=w:l=="value"?y=w:l=="checked"?k=w:c&&typeof w!="function"||S[l]===w||Ke(e,l,w,S[l],a);m?(c||g&&(m.__html==g.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(g&&(e.textContent=""),(E=="foreignObject"||a=="http://www.w3.org/1998/Math/MathML"&&oa.test(E))&&(a="http://www.w3.org/1999/xhtml"),Rn(u,Rt(f)?f:[f],t,n,o,a,s,r,s?s[0]:n.__k&&he(n,0),c,p),s&&s.some(ve)),c&&E!="textarea"||(l="value",E=="progress"&&y==null?e.removeAttribute(l):y==null||y===e[l]&&(E!="progress"||y)||Ke(e,l,y,S[l],a),l="checked",k!=null&&k!=e[l]&&Ke(e,l,k,S[l],a))}else S===L||c&&e.data==L||(e.data=L);return e}function Et(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(a){I.__e(a,n)}}function Lt(e,t,n){var o,a,s,r;if(I.unmount&&I.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||Et(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(c){I.__e(c,t)}o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&Lt(o[r],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(a=Xe(o,s=[]))&&(o==e.__e&&s.some(ve),ve(a),ve(o)),n||ve(e.__e),e.__e=e.__c=e.__=null}function la(e,t,n){return this.constructor(e,n)}function At(e,t){var n,o,a,s;I.__&&I.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=Ee(Ae,{children:[e]}),a=[],s=[],qt(t,t.__k,o||et,et,t.namespaceURI,o?null:t.firstChild?Pt.call(t.childNodes):null,a,o?o.__e:t.firstChild,n,s),En(a,t.__k,s),t.__k.props.children=null}I={__e:function(e,t,n,o){for(var a,s,r;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((r=(s=a.constructor)&&s.getDerivedStateFromError)&&a.setState(s.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,o||{}),r=1),r&&8&a.__g)return void(a.__g|=2)}catch(c){e=c}}throw Ze=0,e}},Cn=0,ta=function(e){return e!=null&&e.constructor===Le},me.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=be({},this.state)),typeof e=="function"&&(e=e(be({},n),this.props)),e&&(be(n,e),this.__v&&(t&&this.__k.push(t),kn(this)))},me.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),kn(this))},me.prototype.render=Ae,fe=[],Ze=0,Sn=function(e,t){return e.__v.__b-t.__v.__b},Je=Symbol(),Mn=/(PointerCapture)$|Capture$/i,It=0,Tt={},na=0;var An=function(e,t,n,o){var a;t[0]=0;for(var s=1;s<t.length;s++){var r=t[s++],c=t[s]?(t[0]|=r?1:2,n[t[s++]]):t[++s];r===3?o[0]=c:r===4?o[1]=Object.assign(o[1]||{},c):r===5?(o[1]=o[1]||{})[t[++s]]=c:r===6?o[1][t[++s]]+=c+"":r?(a=e.apply(c,An(e,c,n,["",null])),o.push(a),c[0]?t[0]|=2:(t[s-2]=0,t[s]=a)):o.push(c)}return o},Ln=new Map;function Nn(e){var t=Ln.get(this);return t||(t=new Map,Ln.set(this,t)),(t=An(this,t.get(e)||(t.set(e,t=(function(n){for(var o,a,s=1,r="",c="",p=[0],u=function(g){s===1&&(g||(r=r.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?p.push(0,g,r):s===3&&(g||r)?(p.push(3,g,r),s=2):s===2&&r==="..."&&g?p.push(4,g,0):s===2&&r&&!g?p.push(5,0,!0,r):s>=5&&((r||!g&&s===5)&&(p.push(s,0,r,a),s=6),g&&(p.push(s,g,0,a),s=6)),r=""},l=0;l<n.length;l++){l&&(s===1&&u(),u(l));for(var m=0;m<n[l].length;m++)o=n[l][m],s===1?o==="<"?(u(),p=[p],s=3):r+=o:s===4?r==="--"&&o===">"?(s=1,r=""):r=o+r[0]:c?o===c?c="":r+=o:o==='"'||o==="'"?c=o:o===">"?(u(),s=1):s&&(o==="="?(s=5,a=r,r=""):o==="/"&&(s<5||n[l][m+1]===">")?(u(),s===3&&(p=p[0]),s=p,(p=p[0]).push(2,0,s),s=0):o===" "||o==="	"||o===`
`||o==="\r"?(u(),s=2):r+=o),s===3&&r==="!--"&&(s=4,p=p[0])}return u(),p})(e)),t),arguments,[])).length>1?t:t[0]}var Se,j,Nt,On,Ot=Object.is,Oe=0,Yn=[],Ut=[],N=I,Un=N.__b,jn=N.__r,Fn=N.diffed,Bn=N.__c,Wn=N.unmount,Hn=N.__;function nt(e,t){N.__h&&N.__h(j,e,Oe||t),Oe=0;var n=j.__H||(j.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function h(e){return Oe=1,ot(Vn,e)}function ot(e,t,n){var o=nt(Se++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Vn(void 0,t),function(s){var r=(o.__N||o.__)[0],c=o.t(r,s);Ot(r,c)||(o.__N=[c,o.__[1]],o.__c.setState({}))}],o.__c=j,!j.__f)){j.__f=!0;var a=j.shouldComponentUpdate;j.shouldComponentUpdate=function(s,r,c){var p=this.__H;if(!p)return!0;var u=!1,l=this.props!=s;if(p.__.some(function(g){g.__N&&(u=!0,Ot(g.__[0],g.__N[0])||(l=!0))}),a){var m=a.call(this,s,r,c);return u?m||l:m}return!u||l}}return o.__}function M(e,t){var n=nt(Se++,3);!N.__s&&Bt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,j.__H.__h.push(n))}function Ue(e,t){var n=nt(Se++,4);!N.__s&&Bt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,j.__h.push(n))}function W(e){return Oe=5,Ft(function(){return{current:e}},[])}function Ft(e,t){var n=nt(Se++,7);return Bt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function st(e,t){return Oe=8,Ft(function(){return e},t)}function ua(){var e;do{for(;e=Ut.shift();)try{Ne(e)}catch(n){N.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=Yn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Ne),t.__h.some(jt),t.__h=[]}catch(n){t.__h=[],N.__e(n,e.__v)}}}while(Ut.length)}N.__b=function(e){j=null,Un&&Un(e)},N.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Hn&&Hn(e,t)},N.__r=function(e){jn&&jn(e),Se=0;var t=(j=e.__c).__H;t&&(Nt==j?j.__h=[]:(t.__h.some(Ne),t.__h.some(jt),Se=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),Nt=j},N.diffed=function(e){Fn&&Fn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&zn(Yn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),Nt=j=null},N.__c=function(e,t){t.some(function(n){try{n.__h.some(Ne),n.__h=n.__h.filter(function(o){return!o.__||jt(o)})}catch(o){n.__h=[function(){throw o}]}}),Bn&&Bn(e,t)},N.unmount=function(e){Wn&&Wn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(a){try{if(a.__P&&a.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}a.__P=n,zn(Ut.push(a))}else Ne(a)}catch(s){t=s}}),o.__H=void 0,t&&N.__e(t,o.__v))};var Gn=typeof requestAnimationFrame=="function";function pa(e){var t,n=function(){clearTimeout(o),Gn&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);Gn&&(t=requestAnimationFrame(n))}function zn(e){e!=1&&On==N.requestAnimationFrame||((On=N.requestAnimationFrame)||pa)(ua)}function Ne(e){var t=j,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),j=t}function jt(e){var t=j;e.__c=e.__(),j=t}function Bt(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!Ot(n,e[o])})}function Vn(e,t){return typeof t=="function"?t(e):t}var i=Nn.bind(Dn);function Qn(e){class t extends me{shouldComponentUpdate(o){let a=this.props;for(let s in a)if(a[s]!==o[s])return!0;for(let s in o)if(!(s in a))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var ae=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},Wt=()=>{};function Kn(e){Wt=e}async function Jn(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Wt(),new ae(e.status,t&&t.code,t&&t.error)}async function ge(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let a;try{a=await fetch(t,o)}catch{throw new ae(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!a.ok)throw await Jn(a);return a.status===204||a.status===202?null:(a.headers.get("Content-Type")||"").includes("json")?a.json():a.text()}var x=e=>ge("GET",e),R=(e,t)=>ge("POST",e,t),q=(e,t)=>ge("PUT",e,t),je=(e,t)=>ge("PATCH",e,t),G=e=>ge("DELETE",e),O=encodeURIComponent;function Ht(e,t,n){let o=e.slice(2),a=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,s="?limit="+n;return t&&(s+="&before="+t),a+"/messages"+s}function Xn({key:e,file:t,caption:n,replyTo:o,onProgress:a}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n),o&&s.set("reply_to",o);let r=new XMLHttpRequest;return{promise:new Promise((p,u)=>{r.open("POST","/v1/media?"+s.toString()),r.responseType="json",r.upload.onprogress=l=>a&&a(l.loaded,l.lengthComputable?l.total:t.size),r.onload=()=>{let l=r.response;if(r.status===201&&l&&l.id){p(l.id);return}r.status===401&&Wt(),u(new ae(r.status,l&&l.code,l&&l.error))},r.onerror=()=>u(new ae(0,"network","the upload was cut off: is the daemon still running?")),r.onabort=()=>u(new ae(0,"aborted","upload cancelled")),r.send(t)}),abort:()=>r.abort()}}var Me=e=>"/v1/media/"+e+"/content",Gt=e=>"/v1/media/"+e+"/thumbnail",we=e=>"/v1/qr.svg?text="+O(e);async function Zn(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await Jn(t);return(await t.json()).text}function zt(e,t){let n=document.createElement("a");n.href=Me(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var re=e=>"p:"+e,$e=e=>"g:"+e,Z=e=>e.group?$e(e.group):re(e.peer),ee=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),V=e=>e?e.slice(0,12)+"…":"",Yt=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),eo=new Intl.DateTimeFormat(void 0,{weekday:"long"}),da=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),fa=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),to=e=>e?Date.parse(e):0,De=e=>e?Yt.format(new Date(e)):"";function at(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Vt(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Fe(e,t=Date.now()){let n=new Date(e),o=Math.round((at(new Date(t))-at(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?eo.format(n):da.format(n)}function Te(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((at(new Date(t))-at(n))/864e5);return o===0?Yt.format(n):o===1?"Yesterday":o>1&&o<7?eo.format(n):fa.format(n)}function rt(e,t=Date.now()){if(!e)return"";let n=Fe(e,t),o=Yt.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function ie(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var Qt=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,no=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function B(...e){return e.filter(Boolean).join(" ")}var ma=/pgi[a-z2-7]{160}/,ha=/pg[a-z2-7]{58}(?![a-z2-7])/;function it(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(ma);if(o)return{kind:"invite",link:o[0]};let a=n.match(ha);if(!a)return null;let s="",r=t.indexOf("?");if(r>=0)try{s=new URLSearchParams(t.slice(r+1)).get("name")||""}catch{s=""}return{kind:"account",account:a[0],name:s}}function oo(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var so=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var $=({name:e,label:t,class:n})=>t?i`<span class=${B("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:i`<span class=${B("icon","i-"+e,n)} aria-hidden="true"></span>`;function Q({name:e,online:t,small:n,group:o,src:a}){return i`<span class=${B("avatar",n&&"small")} aria-hidden="true">
    ${o?i`<${$} name="group" />`:a?i`<img class="avatar-img" src=${a} alt="" />`:no(e)}
    ${t&&i`<span class="dot"></span>`}
  </span>`}var ga=0;function P({title:e,onClose:t,children:n,actions:o,class:a,label:s}){let r=W(null),c=W("dlg"+ ++ga).current;return Ue(()=>{let p=r.current,u=document.activeElement;return p.open||p.showModal(),()=>{p.open&&p.close(),u&&u.focus&&document.contains(u)&&u.focus()}},[]),i`<dialog
    ref=${r}
    class=${a}
    aria-labelledby=${s?void 0:c}
    aria-label=${s}
    onCancel=${p=>{p.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${c}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${$} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&i`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function ce(){let e=W(null);return M(()=>{e.current&&e.current.focus()},[]),e}async function Be(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}var $a=0,ya=e=>"/v1/messages/"+e+"/quote-thumbnail";function _a(e){let t=Z(e);d.replying=new Map(d.replying).set(t,e),b();let n=document.getElementById("composer-"+t);n&&n.focus()}function lt(e){if(!d.replying.has(e))return;let t=new Map(d.replying);t.delete(e),d.replying=t,b()}async function va(e,t){for(;;){let n=d.chats.get(e);if(!n)return!1;if(n.ids.has(t))break;if(!n.hasOlder)return!1;if(n.loading){await new Promise(s=>setTimeout(s,50));continue}let o=await Ie(e),a=d.chats.get(e);if(!o&&!a.hasOlder&&!a.ids.has(t))return!1}return d.jump={key:e,id:t,seq:++$a},b(),!0}function Kt(e,t){let n=e&&e.querySelector('.msg[data-id="'+t+'"]');return n?(n.scrollIntoView({block:"center"}),n.classList.add("highlight"),setTimeout(()=>n.classList.remove("highlight"),2e3),!0):!1}function ao(e){return d.me&&e.author===d.me.account?"You":e.author_name||U(e.author)}function ro(e){return e.state==="deleted"?"This message was deleted":(e.file_name?"📎 "+e.file_name+(e.snippet?" — "+e.snippet:""):e.snippet)||"a file"}function io({m:e}){let[t,n]=h(!1),o=e.reply_to;if(!o)return null;let a=Z(e),s=o.state!=="ok",r=async()=>{if(s)return;await va(a,o.id).catch(p=>(v(p),!0))||n(!0)};return i`<button type="button" class=${B("quote",s&&"gone")} data-quote=${o.id} data-quote-state=${o.state} onClick=${r}
      aria-label=${"Reply to "+ao(o)+": "+ro(o)+(s?"":". Show the original")}>
    ${o.has_thumbnail&&i`<img src=${ya(e.id)} alt="" width="40" height="40" />`}
    <span class="grow">
      <span class="quote-who">${ao(o)}</span>
      <span class="quote-text">${ro(o)}</span>
      ${o.state==="unknown"&&i`<span class="quote-note">original not on this device</span>`}
      ${t&&i`<span class="quote-note">original not found in this chat</span>`}
    </span>
  </button>`}function co({m:e}){return i`<button type="button" class="icon-btn reply-btn" aria-label="Reply" title="Reply" onClick=${()=>_a(e)}><${$} name="reply" /></button>`}function lo({chatKey:e}){let t=_(a=>a.replying.get(e));if(!t)return null;let n=t.direction==="out"?"You":t.sender_name||U(t.sender),o=t.media?"📎 "+(t.media.name||"file")+(t.text?" — "+t.text:""):t.text;return i`<div class="reply-bar" role="status" data-replying=${t.id}>
    <${$} name="reply" />
    <span class="grow">
      <span class="quote-who">Replying to ${n}</span>
      <span class="quote-text">${o}</span>
    </span>
    <button type="button" class="icon-btn" aria-label="Cancel reply" onClick=${()=>lt(e)}><${$} name="close" /></button>
  </div>`}var uo="forever";function Jt(e){return!e||!e.muted_until?!1:e.muted_until===uo||Date.parse(e.muted_until)>Date.now()}var po=e=>Jt(d.convs.find(t=>t.key===e)),ct=e=>({pinned:!!e.pinned,muted_until:e.muted_until||"",archived:!!e.archived});function fo(e,t){let n=t.find(c=>c.key===e.key);n&&Object.assign(e,ct(n));let o=d.archived.findIndex(c=>c.key===e.key);if(o>=0){let c=d.archived.slice();return c[o]={...e,...ct(d.archived[o])},d.archived=c,t}if(n&&n.pinned)return t.map(c=>c===n?e:c);let a=t.filter(c=>c.key!==e.key),s=e.pinned?0:a.findIndex(c=>!c.pinned),r=s<0?a.length:s;return[...a.slice(0,r),e,...a.slice(r)]}async function ba(e,t,n){let o=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/prefs":"/v1/conversations/"+e.slice(2)+"/prefs";try{await q(o,t),await n()}catch(a){v(a)}}function mo({c:e,reload:t}){let[n,o]=h(!1),a=Jt(e),s=r=>()=>(o(!1),ba(e.key,r,t));return i`<span class="chat-menu">
    <button type="button" class="icon-btn" aria-label=${"Chat options"} aria-expanded=${n?"true":"false"} onClick=${()=>o(!n)}><${$} name="more" /></button>
    ${n&&i`<ul class="menu" role="menu">
      <li role="none"><button type="button" role="menuitem" onClick=${s({pinned:!e.pinned})}>${e.pinned?"Unpin":"Pin"}</button></li>
      ${a?i`<li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:null})}>Unmute</button></li>`:i`<li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:new Date(Date.now()+8*36e5).toISOString()})}>Mute for 8 hours</button></li>
            <li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:uo})}>Mute always</button></li>`}
      <li role="none"><button type="button" role="menuitem" onClick=${s({archived:!e.archived})}>${e.archived?"Unarchive":"Archive"}</button></li>
    </ul>`}
  </span>`}function ho({c:e}){return i`${e.pinned&&i`<${$} name="pin" label="pinned" class="mark" />`}${Jt(e)&&i`<${$} name="mute" label="muted" class="mark" />`}`}function go({Item:e,current:t}){let n=_(s=>s.archived),[o,a]=h(!1);return n.length?i`<li class="archived-section">
    <button type="button" class="btn archived-toggle" aria-expanded=${o?"true":"false"} onClick=${()=>a(!o)}>
      Archived (${n.length})
    </button>
    ${o&&i`<ul class="chats" aria-label="Archived chats">${n.map(s=>i`<${e} key=${s.key} c=${s} current=${s.key===t} />`)}</ul>`}
  </li>`:null}var pt=50,d={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],replying:new Map,jump:null,archived:[],visible:document.visibilityState==="visible",profiles:new Map,requests:[],blocked:new Set,myProfile:null},We=new Set,Xt=!1;function b(){Xt||(Xt=!0,queueMicrotask(()=>{Xt=!1;for(let e of We)e()}))}function dt(e){return We.add(e),()=>We.delete(e)}function wa(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function _(e){let[,t]=ot(a=>a+1,0),n=W(null),o=e(d);return n.current={sel:e,val:o},Ue(()=>{let a=()=>{let s=n.current;wa(s.sel(d),s.val)||t()};return We.add(a),a(),()=>We.delete(a)},[]),o}var ka=0;function T(e,t="info"){let n=++ka;d.toasts=[...d.toasts,{id:n,text:e,kind:t}],b(),setTimeout(()=>nn(n),t==="error"?8e3:4e3)}function nn(e){d.toasts=d.toasts.filter(t=>t.id!==e),b()}function v(e){e instanceof ae&&e.status===401||T(e&&e.message?e.message:String(e),"error")}function U(e){if(!e)return"";if(d.me&&e===d.me.account)return"You";let t=d.contacts.get(e),n=d.profiles.get(e);return t&&t.name||n&&n.name||V(e)}function Y(e){if(e.startsWith("g:")){let o=d.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=d.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=d.convs.find(o=>o.key===e);return n&&n.name||V(e.slice(2))}async function J(){let e=await x("/v1/contacts");d.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!d.identity.has(t.account)&&(d.identity=new Map(d.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&d.identity.has(t.account)){let n=new Map(d.identity);n.delete(t.account),d.identity=n}b()}async function ft(){let e=await x("/v1/groups");d.groups=new Map(e.map(t=>[t.id,t])),b()}async function X(e){try{let t=await x("/v1/groups/"+e);d.groups=new Map(d.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(d.groups);n.delete(e),d.groups=n}else throw t}b()}function $o(e){return{key:e.group?$e(e.group):re(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||e.profile_name||"",avatar:e.avatar_url||"",last:e.last,unread:e.unread,...ct(e)}}var ko=0,xo=new Map;async function te(){let e=ko,[t,n]=await Promise.all([x("/v1/conversations"),x("/v1/conversations?archived=true")]),o=t.map($o);d.archived=n.map($o);for(let s of o)(xo.get(s.key)||0)>e&&(s.unread=0);let a=new Set(o.concat(d.archived).map(s=>s.key));for(let s of d.groups.values()){let r=$e(s.id);!a.has(r)&&s.status==="active"&&o.push({key:r,peer:"",group:s.id,name:s.name,last:null,unread:0})}d.convs=o,b();for(let s of o.slice(0,30))s.peer&&!d.presence.has(s.peer)&&Co(s.peer)}var yo=0;function z(){clearTimeout(yo),yo=setTimeout(()=>te().catch(()=>{}),300)}var Zt=new Set;async function Co(e){if(!Zt.has(e)){Zt.add(e);try{let t=await x("/v1/presence/"+e);d.presence=new Map(d.presence).set(e,t),b()}catch{}finally{Zt.delete(e)}}}async function on(){d.autoDownload=await x("/v1/media-settings/auto-download"),b()}async function mt(){await Promise.all([J(),ft(),on().catch(()=>{})]),await te();let e=d.open;d.chats=new Map,d.boot="ready",b(),e&&await sn(e)}function xa(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function le(e){d.chats.set(e.key,e),b()}async function sn(e){d.open=e,b();let t=d.chats.get(e);if(!t||!t.ready){t=xa(e),t.loading=!0,le(t);try{let n=await x(Ht(e,"",pt)),o=d.chats.get(e),a=n.slice(),s=new Set(n.map(r=>r.id));for(let r of o.msgs)s.has(r.id)||(a.push(r),s.add(r.id));le({...o,msgs:a,ids:s,hasOlder:n.length===pt,loading:!1,ready:!0})}catch(n){le({...d.chats.get(e),loading:!1}),v(n)}}e.startsWith("p:")&&Co(e.slice(2)),Ge(e)}function So(){d.open="",b()}async function Ie(e){let t=d.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;le({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await x(Ht(e,n,pt)),a=d.chats.get(e),s=o.filter(r=>!a.ids.has(r.id));for(let r of s)a.ids.add(r.id);return le({...a,msgs:s.concat(a.msgs),hasOlder:o.length===pt,loading:!1}),s.length}catch(n){return le({...d.chats.get(e),loading:!1}),v(n),0}}var _o={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function He(e,{incoming:t=!1}={}){let n=Z(e),o=d.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),le({...o,msgs:o.msgs.concat([e])});else if(o){let p=o.msgs.findLast(u=>u.id===e.id);p&&(_o[e.state]??0)>(_o[p.state]??0)&&H(e.id,u=>({...u,state:e.state,pending:void 0}))}let a=d.convs.findIndex(p=>p.key===n),s=a>=0?d.convs[a]:null;if(s&&s.last&&s.last.id===e.id)return;let r=(s?s.unread:0)+(t&&!(d.open===n&&d.visible)?1:0),c={key:n,peer:e.peer||"",group:e.group||"",name:s&&s.name||e.peer_name||e.group_name||"",last:e,unread:r};d.convs=fo(c,d.convs),b(),!s&&e.group&&!d.groups.has(e.group)&&X(e.group).catch(()=>{})}function H(e,t){let n=!1;for(let a of d.chats.values()){if(!a.ids.has(e))continue;let s=a.msgs.findLastIndex(c=>c.id===e);if(s<0)continue;let r=a.msgs.slice();r[s]=t(r[s]),le({...a,msgs:r}),n=!0}let o=d.convs.findIndex(a=>a.last&&a.last.id===e);if(o>=0){let a=d.convs.slice();a[o]={...a[o],last:t(a[o].last)},d.convs=a,n=!0}return n&&b(),n}var en=new Set;async function Re(e){for(let t of d.chats.values())if(t.ids.has(e))return;if(!en.has(e)){en.add(e);try{He(await x("/v1/messages/"+e))}catch{}finally{en.delete(e)}}}var tn=new Map,vo=new Set;function Ge(e){if(!e||e!==d.open||!d.visible)return;let t=d.convs.find(r=>r.key===e),n=d.chats.get(e),o=n?n.msgs.filter(r=>r.direction==="in"&&r.state==="received").map(r=>r.id):[];if((!t||!t.unread)&&!o.length)return;if(tn.has(e)){vo.add(e);return}let a=new Set(o),s=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";tn.set(e,!0),R(s).then(()=>{xo.set(e,++ko),d.convs=d.convs.map(c=>c.key===e?{...c,unread:0}:c);let r=d.chats.get(e);r&&le({...r,msgs:r.msgs.map(c=>a.has(c.id)&&c.state==="received"?{...c,state:"read"}:c)}),b()}).catch(v).finally(()=>{tn.delete(e),vo.delete(e)&&Ge(e)})}function Mo(e){d.visible=e,b(),e&&Ge(d.open)}async function Do(e,t,n){let o=e.slice(2),a=n?{reply_to:n}:{},s=e.startsWith("g:")?await R("/v1/groups/"+o+"/messages",{text:t,...a}):await R("/v1/messages",{to:o,text:t,...a}),r=await x("/v1/messages/"+s.id);return He(r),r}var Ca=0;async function To(e,t,n,o){let a=++Ca,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",r=Xn({key:e,file:t,caption:n,replyTo:o,onProgress:c=>{d.uploads=d.uploads.map(p=>p.uid===a?{...p,loaded:c}:p),b()}});d.uploads=[...d.uploads,{uid:a,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:r.abort,preview:s}],b();try{let c=await r.promise,p=await x("/v1/messages/"+c);He(p),d.uploads=d.uploads.filter(u=>u.uid!==a)}catch(c){c.code==="aborted"?d.uploads=d.uploads.filter(p=>p.uid!==a):d.uploads=d.uploads.map(p=>p.uid===a?{...p,error:c.message}:p),c.code!=="aborted"&&v(c)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),b()}}function Io(e){d.uploads=d.uploads.filter(t=>t.uid!==e),b()}var ut=0,bo=0;function ht(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(bo);let o=Date.now();if(t){if(bo=setTimeout(()=>ht(e,!1),5e3),o-ut<3e3)return;ut=o}else{if(!ut)return;ut=0}R(n,{active:t}).catch(()=>{})}async function an(e){try{await R("/v1/media/"+e+"/fetch"),H(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){v(t)}}function Ro(e){d.progress=new Map(d.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),b()}function Po(e){if(H(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&d.progress.has(e.id)){let t=new Map(d.progress);t.delete(e.id),d.progress=t,b()}}var wo=0;function qo(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[a,s]of d.typing){let r=new Map;for(let[c,p]of s)p>e?(r.set(c,p),t=Math.min(t,p)):n=!0;r.size&&o.set(a,r)}n&&(d.typing=o,b()),clearTimeout(wo),t!==1/0&&(wo=setTimeout(qo,t-e+50))}function rn(e,t,n,o){let a=new Map(d.typing),s=new Map(a.get(e)||[]);n?s.set(t,to(o)||Date.now()+6e3):s.delete(t),s.size?a.set(e,s):a.delete(e),d.typing=a,b(),qo()}function Eo(e){let t=d.presence.get(e.account)||{};d.presence=new Map(d.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),b()}async function cn(e,t){await q("/v1/contacts/"+O(e),t?{name:t}:{}),await J(),z()}async function Lo(e){await R("/v1/contacts/"+O(e)+"/verify");let t=new Map(d.identity);t.delete(e),d.identity=t,await J()}async function Ao(e,t,n){let o=await R("/v1/groups",{name:e,description:t,members:n});return d.groups=new Map(d.groups).set(o.id,o),await te(),o}async function gt(e){let t=await R("/v1/groups/join",{link:e});return await ft(),await te(),t}var $t=new Set;function F(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of $t)n()}}window.addEventListener("popstate",()=>{for(let e of $t)e()});function No(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,a]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:a==="info"}:n==="contacts"||n==="me"||n==="settings"||n==="requests"?{name:n}:{name:"home"}}function Oo(){let[e,t]=h(()=>No());return M(()=>{let n=()=>t(No());return $t.add(n),()=>$t.delete(n)},[]),e}function A(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),F(t.getAttribute("href"))}var ln=()=>"Notification"in window,yt=()=>ln()?Notification.permission:"unsupported";async function _t(){return ln()?Notification.requestPermission():"unsupported"}function jo(e,t){if(!document.hidden||!ln()||Notification.permission!=="granted")return;let n=Z(e);if(t||po(n))return;let o=Y(n),a=e.group?U(e.sender)+" in "+o:o,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let r=new Notification(a,{body:s.slice(0,200),tag:n,icon:document.querySelector("link[rel=icon]").href});r.onclick=()=>{window.focus(),F(ee(n)),r.close()}}catch{}}var Uo="";function Fo(){let e=0;for(let n of d.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==Uo&&(Uo=t,document.title=t)}var Sa=["👍","❤️","😂","😮","😢","🙏"],Ma=24*3600*1e3,Da=48*3600*1e3;function Wo(e){switch(e.type){case"message_edited":H(e.id,t=>({...t,text:e.text,edited:!0,edits:e.edits,edited_at:e.edited_at}))||Re(e.id);return;case"message_deleted":H(e.id,t=>({...t,deleted:!0}))&&z();return;case"reaction_changed":Ta(e.id);return}}async function Ta(e){try{let t=await x("/v1/messages/"+e);H(e,n=>({...n,reactions:t.reactions,text:t.text,edited:t.edited,edits:t.edits}))}catch{}}function Ho(e){return e.direction==="out"||d.me&&e.sender===d.me.account}function Ia(e){if(Ho(e))return Date.now()-Date.parse(e.sent_at)<Da;if(!e.group)return!1;let t=d.groups.get(e.group);return!!(t&&t.settings&&t.settings.admins_delete&&(t.role==="admin"||t.role==="owner"))}async function Go(e,t){try{let n=await q("/v1/messages/"+e.id+"/reaction",{emoji:t});H(e.id,o=>({...o,reactions:n.reactions}))}catch(n){v(n)}}async function Bo(e,t){try{await G("/v1/messages/"+e.id+"?for="+(t?"everyone":"me")),H(e.id,n=>({...n,deleted:!0})),z()}catch(n){v(n)}}function Ra({m:e,onClose:t}){let[n,o]=h(e.text||""),a=ce();return i`<${P} title="Edit message" onClose=${t} class="edit-dialog">
    <form class="edit-form" onSubmit=${async r=>{r.preventDefault();let c=n.trim();if(!c||c===e.text)return t();try{let p=await q("/v1/messages/"+e.id,{text:c});H(e.id,u=>({...u,text:p.text,edited:!0,edits:p.edits,edited_at:p.edited_at})),t()}catch(p){v(p)}}}>
      <textarea ref=${a} aria-label="New text" value=${n} onInput=${r=>o(r.target.value)}></textarea>
      <p class="muted">${10-(e.edits||0)} edits left. Everyone in the chat sees that it was edited, and the earlier versions.</p>
      <div class="row">
        <button type="submit" class="btn primary">Save</button>
        <button type="button" class="btn" onClick=${t}>Cancel</button>
      </div>
    </form>
  </${P}>`}function Pa({m:e,onClose:t}){let[n,o]=h(null),[a,s]=h("");return n===null&&!a&&x("/v1/messages/"+e.id+"/versions").then(r=>o(r||[])).catch(r=>s(r.message)),i`<${P} title="Edit history" onClose=${t}>
    ${a&&i`<p class="error-text">${a}</p>`}
    ${!n&&!a&&i`<p class="muted">Loading…</p>`}
    ${n&&i`<ol class="list versions">
      ${n.map(r=>i`<li key=${r.version} data-version=${r.version}>
          <span class="grow text">${r.text}</span>
          <span class="muted">${r.version===0?"original":"edit "+r.version} · <time datetime=${r.at}>${De(r.at)}</time></span>
        </li>`)}
    </ol>`}
  </${P}>`}function qa({m:e,onEdit:t,onClose:n}){let a=Ho(e)&&(e.edits||0)<10&&Date.now()-Date.parse(e.sent_at)<Ma,s=r=>()=>{n(),r()};return i`<div class="msg-menu" role="menu" aria-label="Message actions">
    <div class="react-row" role="group" aria-label="React">
      ${Sa.map(r=>i`<button type="button" role="menuitem" class="emoji-btn" aria-label=${"React "+r} onClick=${s(()=>Go(e,r))}>${r}</button>`)}
    </div>
    ${a&&i`<button type="button" role="menuitem" class="menu-item" onClick=${s(t)}>Edit</button>`}
    <button type="button" role="menuitem" class="menu-item" onClick=${s(()=>Bo(e,!1))}>Delete for me</button>
    ${Ia(e)&&i`<button type="button" role="menuitem" class="menu-item danger" onClick=${s(()=>Bo(e,!0))}>Delete for everyone</button>`}
  </div>`}function Ea({m:e}){if(!e.reactions||!e.reactions.length)return null;let t=d.me&&d.me.account;return i`<div class="reactions" aria-label="Reactions">
    ${e.reactions.map(n=>{let o=(n.accounts||[]).map(s=>s===t?"You":U(s)).join(", "),a=(n.accounts||[]).includes(t);return i`<button
        type="button"
        key=${n.emoji}
        class=${B("reaction",a&&"ours")}
        data-emoji=${n.emoji}
        data-count=${n.count}
        title=${o}
        aria-label=${n.emoji+" "+n.count+": "+o}
        onClick=${()=>Go(e,a?"":n.emoji)}
      >${n.emoji} ${n.count}</button>`})}
  </div>`}function zo({m:e}){let[t,n]=h("");return i`<div class="msg-actions">
    ${e.edited&&i`<button type="button" class="edited" onClick=${()=>n("versions")} aria-label="Edited: show earlier versions">edited</button>`}
    <${Ea} m=${e} />
    <button type="button" class="icon-btn msg-menu-btn" aria-haspopup="menu" aria-expanded=${t==="menu"} aria-label="Message actions"
      onClick=${()=>n(t==="menu"?"":"menu")}>⋯</button>
    ${t==="menu"&&i`<${qa} m=${e} onEdit=${()=>n("edit")} onClose=${()=>n("")} />`}
    ${t==="edit"&&i`<${Ra} m=${e} onClose=${()=>n("")} />`}
    ${t==="versions"&&i`<${Pa} m=${e} onClose=${()=>n("")} />`}
  </div>`}function Yo({g:e}){let t=async n=>{try{await je("/v1/groups/"+e.id,{settings:{...e.settings,admins_delete:n}}),await X(e.id)}catch(o){v(o)}};return i`<label class="field check">
    <input type="checkbox" checked=${!!(e.settings&&e.settings.admins_delete)} onChange=${n=>t(n.target.checked)} />
    <span>Admins can delete anyone's messages</span>
  </label>`}async function Pe(){d.devices=await x("/v1/devices"),b()}var vt=e=>(e||0).toLocaleString("en-US");function La(e){let t=d.devices&&d.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function Vo(e){d.linkRequest=e,b()}function Qo(e){d.linkOffer=null,d.linkRequest&&d.linkRequest.peer_id===e.peer_id&&(d.linkRequest=null),b(),T("Linked "+(e.name||"a new device")+". It is getting your history now."),Pe().catch(()=>{})}function Ko(){Pe().catch(()=>{})}function Jo(e){d.historySync=e,b()}function Aa(e){return e.this?"":e.online?"online":e.last_seen?rt(e.last_seen):"not seen since it was linked"}function Na(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function Oa({offer:e,onAgain:t}){let[n,o]=h(Date.now());return M(()=>{let a=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(a)},[]),Date.parse(e.expires)<=n?i`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:i`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${we(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${a=>a.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${Na(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>Ua(e)}>Cancel</button>
  </div>`}async function Ua(e){try{await ge("DELETE","/v1/devices/link",{code:e.code})}catch(t){v(t)}d.linkOffer=null,b()}function ja({d:e,holdsKey:t}){let[n,o]=h(!1),[a,s]=h(e.name),r=async u=>{u.preventDefault();try{await q("/v1/devices/"+e.id,{name:a.trim()}),o(!1),await Pe()}catch(l){v(l)}},c=()=>{s(e.name),o(!0)},p=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await G("/v1/devices/"+e.id),T("Revoked "+(e.name||"device "+e.id)+"."),await Pe()}catch(u){v(u)}};return n?i`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${r}>
        <input type="text" class="grow" aria-label="Device name" value=${a} maxlength="64" onInput=${u=>s(u.target.value)} />
        <button type="submit" class="btn" disabled=${!a.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:i`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&i` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,Aa(e),"added "+Fe(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${c} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&i`<button type="button" class="btn danger" onClick=${p} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function Fa(){let e=_(n=>n.historySync);if(_(n=>n.devices),!e)return null;let t=La(e.device);return e.error?i`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${vt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?i`<p class="history-sync muted" role="status">History synced from ${t}: ${vt(e.total)} changes.</p>`:i`<p class="history-sync" role="status">Syncing history from ${t}: ${vt(e.done)} of ${vt(e.total)}</p>`}function Xo(){let e=_(o=>o.devices),t=_(o=>o.linkOffer);M(()=>{Pe().catch(v);let o=setInterval(()=>Pe().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{d.linkOffer=await R("/v1/devices/link"),b()}catch(o){v(o)}};return i`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>i`<${ja} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${Fa} />
    ${e&&(e.holds_account_key?t?i`<${Oa} offer=${t} onAgain=${n} />`:i`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:i`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function Zo(){let e=_(n=>n.linkRequest);if(!e)return null;let t=async n=>{d.linkRequest=null,b();try{await R("/v1/devices/link-requests/"+e.id,{accept:n}),n||T("The device was not linked.")}catch(o){v(o)}};return i`<${P}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${i`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var Ba=49152;async function ue(){let[e,t,n,o]=await Promise.all([x("/v1/profiles").catch(()=>[]),x("/v1/requests").catch(()=>[]),x("/v1/blocked").catch(()=>[]),x("/v1/profile").catch(()=>null)]);d.profiles=new Map(e.map(a=>[a.account,a])),d.requests=t,d.blocked=new Set(n.map(a=>a.account)),d.myProfile=o,b()}function ts(e){switch(e.type){case"profile_changed":case"blocked_changed":case"request_received":case"request_changed":return ue().catch(()=>{}),J().then(z).catch(()=>{}),!0}return!1}function bt(e){let t=d.profiles&&d.profiles.get(e);return t&&t.has_avatar?t.avatar_url:""}async function Wa(e){let t=await createImageBitmap(e),n=Math.min(1,256/Math.max(t.width,t.height)),o=document.createElement("canvas");o.width=Math.max(1,Math.round(t.width*n)),o.height=Math.max(1,Math.round(t.height*n)),o.getContext("2d").drawImage(t,0,0,o.width,o.height);for(let a of[.9,.8,.6,.4]){let s=await new Promise(r=>o.toBlob(r,"image/jpeg",a));if(s&&s.size<=Ba)return s}throw new Error("the picture does not fit 48 KiB even small: try another one")}async function Ha(e){let t=await fetch("/v1/profile/avatar",{method:"PUT",body:e,credentials:"same-origin",headers:{"Content-Type":e.type}});if(!t.ok){let n=await t.json().catch(()=>({}));throw new Error(n.message||"the daemon refused the picture")}}function ns(){let e=_(r=>r.myProfile),[t,n]=h(e?e.name:"");M(()=>n(e?e.name:""),[e&&e.name]);let o=async r=>{r.preventDefault();try{await q("/v1/profile",{name:t}),await ue(),T("Profile saved: your contacts and groups get it.")}catch(c){v(c)}},a=async r=>{let c=r.target.files&&r.target.files[0];if(r.target.value="",!!c)try{await Ha(await Wa(c)),await ue()}catch(p){v(p)}},s=async()=>{try{await G("/v1/profile/avatar"),await ue()}catch(r){v(r)}};return i`<div class="card profile-card">
    <h3>Profile</h3>
    <p class="muted">Your name and picture, end-to-end encrypted to your contacts and groups.</p>
    <div class="row">
      <${Q} name=${t||"?"} src=${e&&e.has_avatar?e.avatar_url:""} />
      <label class="btn">Choose picture<input type="file" accept="image/*" class="sr-only" onChange=${a} aria-label="Choose a profile picture" /></label>
      ${e&&e.has_avatar&&i`<button type="button" class="btn" onClick=${s}>Remove picture</button>`}
    </div>
    <form class="row" onSubmit=${o}>
      <label class="field grow"><span>Display name</span><input type="text" maxlength="64" value=${t} onInput=${r=>n(r.target.value)} id="profile-name" /></label>
      <button class="btn primary" type="submit">Save</button>
    </form>
  </div>`}function os(){let e=_(t=>t.requests||[]);return e.length?i`<a href="/requests" class="requests-entry" onClick=${A} id="requests-entry">
    <${$} name="person-add" /> <span class="grow">Message requests</span><span class="badge">${e.length}</span>
  </a>`:null}function es(e){return e.profile_name||e.name||V(e.peer)}function ss(){let e=_(n=>n.requests||[]),t=async(n,o)=>{try{if(o==="accept"&&await R("/v1/requests/"+O(n.peer)+"/accept",{name:""}),o==="delete"){if(!confirm("Delete this request and its messages?"))return;await G("/v1/requests/"+O(n.peer))}o==="block"&&await R("/v1/requests/"+O(n.peer)+"/block"),await ue(),await J(),z(),o==="accept"&&F("/chat/"+n.peer)}catch(a){v(a)}};return i`<section class="pane page" aria-labelledby="requests-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
      <h2 id="requests-title">Message requests</h2>
    </header>
    <div class="page-body">
      <p class="muted">People who are not in your contacts wrote to you. They do not see that you read their messages until you accept.</p>
      <ul class="requests">
        ${e.map(n=>i`<li key=${n.peer} class="card request" data-account=${n.peer}>
            <div class="row">
              <${Q} name=${es(n)} src=${n.avatar_url||""} />
              <span class="grow"><strong>${es(n)}</strong><br /><span class="muted">${n.last?n.last.text:""}</span></span>
              <span class="time">${n.last?Te(n.last.sent_at):""}</span>
            </div>
            <div class="row">
              <button type="button" class="btn primary" onClick=${()=>t(n,"accept")}>Accept</button>
              <button type="button" class="btn" onClick=${()=>t(n,"delete")}>Delete</button>
              <button type="button" class="btn danger" onClick=${()=>t(n,"block")}>Block</button>
            </div>
          </li>`)}
        ${!e.length&&i`<li class="hint">No message requests.</li>`}
      </ul>
    </div>
  </section>`}function as({account:e}){let t=_(o=>!!(o.blocked&&o.blocked.has(e))),n=async()=>{try{if(t)await G("/v1/blocked/"+O(e));else{if(!confirm("Block this account? Its messages will be dropped on all your devices."))return;await q("/v1/blocked/"+O(e))}await ue()}catch(o){v(o)}};return i`<div class="section">
    <button type="button" class=${"btn"+(t?"":" danger")} onClick=${n} id="block-toggle">
      ${t?"Unblock":"Block"}
    </button>
    ${t&&i`<p class="muted">Blocked: messages from this account are dropped.</p>`}
  </div>`}d.timers=new Map;var rs=[[0,"Off"],[300,"5 minutes"],[3600,"1 hour"],[8*3600,"8 hours"],[86400,"1 day"],[7*86400,"1 week"],[28*86400,"4 weeks"]],wt=[[1,"seconds"],[60,"minutes"],[3600,"hours"],[86400,"days"],[7*86400,"weeks"]],Ga=30,za=365*86400;function ze(e){if(!e)return"Off";for(let[t,n]of[[7*86400,"week"],[86400,"day"],[3600,"hour"],[60,"minute"],[1,"second"]])if(e%t===0)return e/t+" "+n+(e/t===1?"":"s");return e+" seconds"}var us=e=>(e.startsWith("g:")?"/v1/groups/":"/v1/conversations/")+O(e.slice(2))+"/timer";function dn(e,t){d.timers=new Map(d.timers).set(e,t||0),b()}async function Ya(e){try{dn(e,(await x(us(e))).seconds)}catch(t){v(t)}}function ps(e){switch(e.type){case"timer_changed":return dn(e.group?$e(e.group):re(e.peer),e.seconds),!0;case"message_expired":return H(e.id,t=>({...t,deleted:!0}))&&z(),!0}return!1}function ds({chatKey:e}){let t=_(s=>s.timers.get(e)),[n,o]=h(!1);M(()=>{t===void 0&&Ya(e)},[e,t===void 0]);let a=t>0;return i`<button
      type="button"
      class=${"icon-btn timer-btn"+(a?" on":"")}
      data-seconds=${t===void 0?"":t}
      aria-label=${"Disappearing messages: "+(t===void 0?"…":ze(t))}
      title=${"Disappearing messages: "+(t===void 0?"…":ze(t))}
      onClick=${()=>o(!0)}
    >
      <${$} name="clock" />${a&&i`<span class="timer-short">${Va(t)}</span>`}
    </button>
    ${n&&i`<${Qa} chatKey=${e} seconds=${t||0} onClose=${()=>o(!1)} />`}`}function Va(e){for(let[t,n]of[[7*86400,"w"],[86400,"d"],[3600,"h"],[60,"m"]])if(e%t===0)return e/t+n;return e+"s"}function fs({seconds:e,pick:t,name:n}){let o=rs.some(([u])=>u===e),[a,s]=h(()=>wt.findLast(([u])=>e&&e%u===0)||wt[1]),[r,c]=h(o||!e?"":String(e/a[0])),p=u=>{u.preventDefault();let l=Number(r),m=Math.round(l*a[0]);if(!Number.isFinite(l)||l<=0||m<Ga||m>za){T("A timer is from 30 seconds to 365 days: pick a number and unit in between.","error");return}t(m)};return i`<div class="timer-choices" role="radiogroup" aria-label="Disappearing messages timer">
      ${rs.map(([u,l])=>i`<label class="field check" key=${u}>
          <input type="radio" name=${n} value=${u} checked=${u===e} onChange=${()=>t(u)} />
          <span>${l}</span>
        </label>`)}
    </div>
    <form class="timer-custom row" onSubmit=${p}>
      <label class="field"><span>Custom${!o&&e?" (now "+ze(e)+")":""}</span>
        <input type="number" min="1" step="1" name="count" value=${r} onInput=${u=>c(u.target.value)} aria-label="Custom timer" />
      </label>
      <select name="unit" aria-label="Unit" value=${a[0]} onChange=${u=>s(wt.find(([l])=>l===Number(u.target.value)))}>
        ${wt.map(([u,l])=>i`<option key=${u} value=${u}>${l}</option>`)}
      </select>
      <button type="submit" class="btn" disabled=${!r}>Set</button>
    </form>`}function Qa({chatKey:e,seconds:t,onClose:n}){return i`<${P} title="Disappearing messages" onClose=${n} class="timer-picker">
    <p class="muted">New messages in this chat disappear this long after they are sent (yours) or read (theirs), on every device. Everyone in the chat sees the change.</p>
    <${fs} seconds=${t} pick=${async a=>{try{let s=await q(us(e),{seconds:a});dn(e,s.seconds),s.change&&Re(s.change),n()}catch(s){v(s)}}} name="chat-timer" />
  </${P}>`}function kt(e){return(e.direction==="out"?"You":e.sender_name||U(e.sender))+" "+e.text}function ms({m:e}){return e.deleted?null:i`<div class="msg notice timer-notice" role="note" data-id=${e.id} data-kind="timer">
    <${$} name="clock" /> <span>${kt(e)}</span>
  </div>`}function hs({m:e}){return i`<div class="msg notice device-notice" role="note" data-id=${e.id} data-kind="device" title="Messages also go to the account's new devices. The safety number stays the same.">
    <${$} name="shield" /> <span>${kt(e)}</span>
  </div>`}function gs({m:e}){if(!(e.expire_after_s>0))return null;let t="Disappears "+ze(e.expire_after_s)+(e.direction==="out"?" after it was sent":" after you read it");return e.expires_at&&(t="Disappears at "+De(e.expires_at)+" (in "+Ka(Date.parse(e.expires_at)-Date.now())+")"),i`<span class="expiry-mark" title=${t} data-expires=${e.expires_at||""}><${$} name="clock" label=${t} /></span>`}function Ka(e){let t=Math.max(0,Math.round(e/1e3));return t<60?t+" s":t<3600?Math.round(t/60)+" min":t<86400?Math.round(t/3600)+" h":Math.round(t/86400)+" days"}function $s(){let[e,t]=h(null);return M(()=>{x("/v1/settings/default-timer").then(o=>t(o.seconds||0)).catch(v)},[]),i`<div class="card default-timer" data-seconds=${e===null?"":e}>
    <h3>Default timer for new chats</h3>
    <p class="muted">Chats you start get this disappearing-messages timer with your first message. Each chat's own timer is in its header.</p>
    ${e!==null&&i`<${fs} key=${e} seconds=${e} pick=${async o=>{try{let a=await q("/v1/settings/default-timer",{seconds:o});t(a.seconds||0),T("New chats start with disappearing messages "+(a.seconds?"after "+ze(a.seconds):"off")+".")}catch(a){v(a)}}} name="default-timer" />`}
  </div>`}var is=new WeakMap,un=new Set,cs=0,pn=1/0,ls=d.chats;function ys(e){let t=is.get(e);if(t)return t;t={at:1/0,unstarted:[]};for(let n of e)n.deleted||!(n.expire_after_s>0)||(n.expires_at?t.at=Math.min(t.at,Date.parse(n.expires_at)):n.direction==="in"&&n.state==="read"&&t.unstarted.push(n.id));return is.set(e,t),t}var Ja=e=>ys(e).at;async function Xa(e){try{let t=await x("/v1/messages/"+e);t.expires_at&&H(e,n=>({...n,expires_at:t.expires_at}))}catch{}}function _s(){d.chats!==ls&&(ls=d.chats,un.clear(),d.timers.size&&(d.timers=new Map,b()));let e=1/0;for(let t of d.chats.values()){let n=ys(t.msgs);e=Math.min(e,n.at);for(let o of n.unstarted)un.has(o)||(un.add(o),Xa(o))}e!==pn&&(clearTimeout(cs),pn=e,e!==1/0&&(cs=setTimeout(Za,Math.min(Math.max(0,e-Date.now()),2**31-1))))}function Za(){pn=1/0;let e=Date.now(),t=[];for(let n of d.chats.values())if(!(Ja(n.msgs)>e))for(let o of n.msgs)o.expires_at&&!o.deleted&&Date.parse(o.expires_at)<=e&&t.push(o.id);for(let n of t)H(n,o=>({...o,deleted:!0}));t.length&&z(),_s()}dt(_s);var pe=null,mn="",Ye=0,fn=0,hn=!1,Ve=250,vs=0,bs=Promise.resolve();function xt(){if(clearTimeout(vs),pe)return;hn=!!mn;let e=hn?"?epoch="+encodeURIComponent(mn)+"&after="+Ye:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);pe=n,n.onmessage=o=>{let a;try{a=JSON.parse(o.data)}catch{return}bs=bs.then(()=>er(a)).catch(s=>console.error("pigeon: event",a.type,s))},n.onclose=()=>{pe===n&&(pe=null,d.conn="down",b(),vs=setTimeout(xt,Ve),Ve=Math.min(Ve*2,5e3))}}function gn(){if(!(pe&&pe.readyState===WebSocket.OPEN)){if(pe){let e=pe;pe=null,e.onclose=null,e.close()}Ve=250,xt()}}async function er(e){if(e.type==="hello"){mn=e.epoch||"",fn=e.seq||0,d.conn="live",Ve=250,b(),hn||(Ye=fn,await Promise.all([mt(),ue().catch(()=>{})]));return}if(e.type==="reset"){Ye=fn,await Promise.all([mt(),ue().catch(()=>{})]);return}if(typeof e.seq=="number"){if(e.seq<=Ye)return;Ye=e.seq}tr(e)}function tr(e){if(!ts(e)&&!ps(e))switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";He(t,{incoming:n}),n&&(t.kind!=="device"&&jo(t,e.muted),Ge(Z(t)),z());return}case"chat_prefs_changed":z();return;case"message_state_changed":{H(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||Re(e.id);return}case"message_edited":case"message_deleted":case"reaction_changed":Wo(e);return;case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])H(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":rn(re(e.from),e.from,e.active,e.until);return;case"group_typing":rn($e(e.group),e.from,e.active,e.until);return;case"presence":Eo(e);return;case"group_changed":X(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?te():null).catch(()=>{});return;case"group_receipt":d.receiptTick=(d.receiptTick||0)+1,b();return;case"media_progress":Ro(e);return;case"media_state":Po(e);return;case"contact_changed":J().then(z).catch(()=>{});return;case"identity_changed":d.identity=new Map(d.identity).set(e.account,e),b(),J().catch(()=>{});return;case"storage":d.storageFull=e.state==="full",b(),d.storageFull&&T("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":Vo(e);return;case"device_linked":Qo(e);return;case"device_revoked":Ko(e);return;case"history_sync":Jo(e);return;case"dropped":mt().catch(()=>{}),ft().catch(()=>{});return}}var ws=20,nr=250;function or(e){let t=new TextEncoder().encode(e.text),n=new TextDecoder,o=[],a=0;for(let[s,r]of e.ranges||[]){if(s<a||r>t.length||s>r)break;s>a&&o.push({text:n.decode(t.subarray(a,s))}),o.push({text:n.decode(t.subarray(s,r)),mark:!0}),a=r}return a<t.length&&o.push({text:n.decode(t.subarray(a))}),o}function sr({h:e}){let t=e.message,n=Z(t),o=t.group?t.group_name||Y(n):t.peer_name||Y(n),a=t.direction==="out"?"You":t.sender_name||U(t.sender);return i`<li>
    <a
      href=${ee(n)}
      class="search-hit"
      data-id=${t.id}
      onClick=${s=>{s.button!==0||s.metaKey||s.ctrlKey||s.shiftKey||s.altKey||(s.preventDefault(),ar(n,t.id))}}
    >
      <span class="top">
        <span class="name">${o}</span>
        <span class="time">${Te(t.sent_at)}</span>
      </span>
      <span class="snippet">
        ${t.group||t.direction==="out"?a+": ":""}${e.snippet.field==="file_name"?"📎 ":""}
        ${or(e.snippet).map(s=>s.mark?i`<mark>${s.text}</mark>`:s.text)}
      </span>
    </a>
  </li>`}function ks(){let[e,t]=h(""),[n,o]=h(null),[a,s]=h(!1),r=W(0),c=e.trim();M(()=>{if(!c){o(null);return}let u=++r.current,l=setTimeout(async()=>{try{let m=await x("/v1/search?q="+O(c)+"&limit="+ws);u===r.current&&o({q:c,hits:m.hits,next:m.next_cursor||""})}catch(m){if(u!==r.current)return;m.status===400?o({q:c,hits:[],next:"",error:m.message}):v(m)}},nr);return()=>clearTimeout(l)},[c]);let p=async()=>{if(!(!n||!n.next||a)){s(!0);try{let u=await x("/v1/search?q="+O(n.q)+"&limit="+ws+"&cursor="+O(n.next));o(l=>l&&l.q===n.q?{...l,hits:l.hits.concat(u.hits),next:u.next_cursor||""}:l)}catch(u){v(u)}finally{s(!1)}}};return i`<div class="msg-search" role="search">
    <label>
      <${$} name="search" />
      <span class="sr-only">Search messages</span>
      <input
        type="search"
        id="message-search"
        placeholder="Search messages"
        value=${e}
        onInput=${u=>t(u.target.value)}
        onKeyDown=${u=>u.key==="Escape"&&t("")}
      />
    </label>
    ${n&&i`<div class="search-results" aria-live="polite">
      ${n.error?i`<p class="hint" role="alert">${n.error}</p>`:n.hits.length?i`<ul aria-label="Search results">
              ${n.hits.map(u=>i`<${sr} key=${u.message.id} h=${u} />`)}
            </ul>`:i`<p class="hint">No message matches “${n.q}”.</p>`}
      ${n.next&&i`<button type="button" class=${B("btn","more")} disabled=${a} onClick=${p}>More results</button>`}
    </div>`}
  </div>`}var ke=null,Qe=null;function ar(e,t){ke={key:e,id:t},F(ee(e)),Qe&&Qe.scroller&&Qe.props.chat.key===e&&Ct(Qe)}function Ct(e){Qe=e;let t=e.props.chat;if(!ke||ke.key!==t.key||!e.scroller)return;let n=t.msgs,o=n.findIndex(u=>u.id===ke.id);if(o<0){if(!t.ready||t.loading)return;if(!t.hasOlder){ke=null;return}Ie(t.key);return}let{start:a,end:s}=e.state;if(o<a||o>=s){let u=Math.max(0,o-25);e.setState({start:u,end:Math.min(n.length,Math.max(o+25,u+50)),stick:!1});return}let r=e.scroller.querySelector('.msg[data-id="'+ke.id+'"]');if(!r)return;ke=null,e.state.stick&&e.setState({stick:!1}),r.scrollIntoView({block:"center"}),r.classList.add("found"),setTimeout(()=>r.classList.remove("found"),2500);let c=e.scroller,p=u=>{if(!u||!r.isConnected)return;let l=c.getBoundingClientRect(),m=r.getBoundingClientRect();(m.top<l.top||m.bottom>l.bottom)&&r.scrollIntoView({block:"center"}),requestAnimationFrame(()=>p(u-1))};requestAnimationFrame(()=>p(60))}function rr(e){let t=e.last;if(!t)return e.group?"No messages yet":"";if(t.kind==="timer"||t.kind==="device")return kt(t);let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||U(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function xs({c:e,current:t}){let n=e.name||Y(e.key),o=_(c=>e.peer?c.presence.get(e.peer):null),a=_(c=>c.typing.has(e.key)),s=o&&o.state==="online",r=n+(e.unread?", "+e.unread+" unread":"")+(s?", online":"");return i`<li>
    <a
      href=${ee(e.key)}
      class=${B("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${r}
      onClick=${A}
      data-key=${e.key}
    >
      <${Q} name=${n} group=${!!e.group} online=${s} src=${e.avatar} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <${ho} c=${e} />
          <span class="time">${e.last?Te(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${a?i`<em>typing…</em>`:rr(e)}</span>
          ${e.unread>0&&i`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
    <${mo} c=${e} reload=${te} />
  </li>`}function ir(){let[e,t]=h(yt()),[n,o]=h(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:i`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await _t())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${$} name="close" /></button>
  </div>`}function Cs({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let a=_(m=>m.convs),s=_(m=>m.conn),r=_(m=>m.me),[c,p]=h(""),u=c.trim().toLowerCase(),l=u?a.filter(m=>(m.name||Y(m.key)).toLowerCase().includes(u)||(m.peer||m.group).startsWith(u)):a;return i`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${A} aria-label="My account and QR code"><${Q} small name=${r?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${$} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${$} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${$} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${A} aria-label="Contacts"><${$} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${A} aria-label="Settings"><${$} name="gear" /></a>
    </header>
    ${s==="down"&&i`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${ir} />
    <${ks} />
    <div class="filter" role="search">
      <label>
        <${$} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${c}
          onInput=${m=>p(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&u&&l.length&&(m.preventDefault(),F(ee(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <${os} />
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>i`<${xs} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!u&&i`<${go} Item=${xs} current=${e} />`}
      ${!l.length&&i`<li class="hint">${u?"No chat matches “"+c+"”.":i`No chats yet. <a href="/contacts" onClick=${A}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Ms={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},cr={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function $n({state:e}){let t=cr[e];return t?i`<span class=${B("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Ms[e]} data-state=${e}></span>`:null}function Ds(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function Ss(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+Qt(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function Ts({prog:e,label:t}){return!e||!e.total?i`<progress aria-label=${t}></progress>`:i`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Is({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",a=t&&t.direction==="download"?t:null;return i`<div class="file-card" data-media-state=${e.state}>
    <${$} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${ie(e.size)}${e.mime?" · "+e.mime:""}${Ss(e,a)&&" · "+Ss(e,a)}</div>
      ${o&&i`<${Ts} prog=${a} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?i`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>zt(e.id,e.name)}>
          <${$} name="download" />
        </button>`:!o&&i`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+ie(e.size)} onClick=${()=>an(e.id)}>
          <${$} name="download" />
        </button>`}
  </div>`}function lr({media:e,prog:t,onOpen:n}){let o=e.state==="local",a=Ds(e.width,e.height),s=o?Me(e.id):e.thumbnail?Gt(e.id):"";if(!s)return i`<${Is} media=${e} prog=${t} />`;let r=e.state==="fetching"||e.state==="retrying";return i`<div>
    <button type="button" class=${B("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${s} alt=${e.caption||e.name||"picture"} width=${a.width} height=${a.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&i`<div class="row file-meta">
      ${r?i`<${Ts} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:i`<button type="button" class="btn" onClick=${()=>an(e.id)}><${$} name="download" /> ${ie(e.size)}</button>`}
    </div>`}
  </div>`}function Rs({media:e,onClose:t}){return i`<${P} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${Me(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>zt(e.id,e.name)}><${$} name="download" /> Save</button>
    </div>
  </${P}>`}function ur({media:e,prog:t,onOpen:n}){let o=e.mime||"",a=e.state==="local";return o.startsWith("image/")?i`<${lr} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?i`<video
      class="media-video"
      controls
      preload=${a?"metadata":"none"}
      poster=${e.thumbnail?Gt(e.id):void 0}
      src=${Me(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${Ds(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?i`<audio class="media-audio" controls preload=${a?"metadata":"none"} src=${Me(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:i`<${Is} media=${e} prog=${t} />`}function Ps({m:e,onClose:t}){let n=_(l=>l.receiptTick||0),o=_(l=>l.groups.get(e.group)),[a,s]=h(null),[r,c]=h("");M(()=>{x("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>s(l.receipts||{})).catch(l=>c(l.message))},[n,e.id,e.group]);let p=o?o.members.filter(l=>!d.me||l.account!==d.me.account):[],u=new Set([...p.map(l=>l.account),...Object.keys(a||{})]);return i`<${P} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${r&&i`<p class="error-text">${r}</p>`}
    ${!a&&!r&&i`<p class="muted">Loading…</p>`}
    ${a&&i`<ul class="list receipts">
      ${[...u].map(l=>{let m=a[l]||"";return i`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${U(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${$n} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${P}>`}var qs=Qn(function({m:t,sender:n,prog:o,onOpen:a,onInfo:s}){if(t.deleted)return null;if(t.kind==="timer")return i`<${ms} m=${t} />`;if(t.kind==="device")return i`<${hs} m=${t} />`;let r=t.direction==="out";return i`<div class=${B("msg",r?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?i`<span class="sender">${n}</span>`:i`<span class="sr-only">${r?"You:":""}</span>`}
      ${t.reply_to&&i`<${io} m=${t} />`}
      ${t.media&&i`<${ur} media=${t.media} prog=${o} onOpen=${()=>a(t.media)} />`}
      ${t.text&&i`<span class="text">${t.text}</span>`}
      <span class="meta">
        <${gs} m=${t} />
        <time datetime=${t.sent_at}>${De(t.sent_at)}</time>
        ${r&&(t.group?i`<button type="button" aria-label=${"Message info: "+(Ms[t.state]||t.state)} onClick=${()=>s(t)}><${$n} state=${t.state} /></button>`:i`<${$n} state=${t.state} />`)}
        <${co} m=${t} />
      </span>
      ${r&&t.state==="pending"&&t.pending&&t.pending.reason&&i`<span class="why">${t.pending.reason}</span>`}
      <${zo} m=${t} />
    </div>
  </div>`});function Es({u:e,onCancel:t}){return i`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&i`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?i`<span class="error-text">${e.error}</span>`:"sending "+Qt(e.loaded,e.size)+"% of "+ie(e.size)}</div>
      ${!e.error&&i`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var pr=0;function Ls({chatKey:e,dropped:t}){let[n,o]=h(""),[a,s]=h([]),[r,c]=h(!1),p=W(null),u=W(null),l=y=>{let k=[...y].map(C=>({id:++pr,file:C,preview:C.type.startsWith("image/")?URL.createObjectURL(C):""}));k.length&&s(C=>C.concat(k)),p.current&&p.current.focus()},m=y=>s(k=>k.filter(C=>(C.id===y&&C.preview&&URL.revokeObjectURL(C.preview),C.id!==y)));M(()=>{t&&t.length&&l(t)},[t]),M(()=>{p.current&&p.current.focus({preventScroll:!0})},[]),M(()=>{let y=p.current;y&&(y.style.height="auto",y.style.height=y.scrollHeight+2+"px")},[n]);let g=async()=>{let y=n.trim();if(r||!y&&!a.length)return;let k=a,C=d.replying.get(e);if(o(""),s([]),ht(e,!1),k.length){lt(e),k.forEach((S,L)=>{To(e,S.file,L===0?y:"",L===0&&C?C.id:"").finally(()=>S.preview&&URL.revokeObjectURL(S.preview))});return}c(!0);try{await Do(e,y,C?C.id:""),lt(e)}catch(S){o(y),v(S)}finally{c(!1),p.current&&p.current.focus()}},f=y=>{y.key==="Enter"&&!y.shiftKey&&!y.isComposing&&(y.preventDefault(),g())},w=y=>{let k=y.clipboardData&&y.clipboardData.files;k&&k.length&&(y.preventDefault(),l(k))};return i`<div class="composer-wrap">
    <${lo} chatKey=${e} />
    ${a.length>0&&i`<ul class="staged" aria-label="Files to send">
      ${a.map(y=>i`<li class="staged-item" key=${y.id}>
          ${y.preview?i`<img src=${y.preview} alt="" />`:i`<${$} name="doc" />`}
          <span class="grow">${y.file.name} <span class="muted">${ie(y.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+y.file.name} onClick=${()=>m(y.id)}><${$} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${y=>{y.preventDefault(),g()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>u.current.click()}><${$} name="attach" /></button>
      <input ref=${u} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${y=>(l(y.target.files),y.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${a.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${p}
        rows="1"
        placeholder=${a.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${y=>{o(y.target.value),y.target.value&&ht(e,!0)}}
        onKeyDown=${f}
        onPaste=${w}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${r}><${$} name="send" /></button>
    </form>
  </div>`}var St=200,ne=50,As=600,dr=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function fr({chatKey:e}){let t=_(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?i`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?i`<p class="older"> </p>`:i`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var yn=class extends me{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-ne),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let a=o.length;if(!n.msgs||!n.msgs.length||!a)return{msgs:o,start:Math.max(0,a-ne),end:a,stick:!0,wantUp:!1};let s=n.msgs[0].id,r=0;if(o[0].id!==s&&(r=o.findIndex(m=>m.id===s),r<0))return{msgs:o,start:Math.max(0,a-ne),end:a,stick:!0,wantUp:!1};let c=o[a-1];if(c.direction==="out"&&c.id!==n.msgs[n.msgs.length-1].id&&!n.msgs.some(m=>m.id===c.id))return{msgs:o,start:Math.max(0,a-ne),end:a,stick:!0,wantUp:!1};let p=n.start+r,u=n.end+r,l=n.end===n.msgs.length;return n.wantUp&&r>0?(p=Math.max(0,p-ne),u=Math.min(u,p+St)):l&&n.stick&&(u=a,p=Math.max(p,u-St)),{msgs:o,start:p,end:u,wantUp:n.wantUp&&r===0}}shouldComponentUpdate(t,n){let o=this.props,a=this.state;return t.chat.msgs!==o.chat.msgs||t.jump!==o.jump||t.group!==o.group||t.progress!==o.progress||!dr(t.uploads,o.uploads)||n.msgs!==a.msgs||n.start!==a.start||n.end!==a.end||n.stick!==a.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.ro=new ResizeObserver(()=>{let t=this.scroller;t&&this.state.stick&&(t.scrollTop=t.scrollHeight)}),this.observeRows(),this.scroller.scrollTop=this.scroller.scrollHeight,this.check(),Ct(this)}componentDidUpdate(t,n,o){let a=this.scroller;if(o&&o.stick)a.scrollTop=a.scrollHeight;else if(o&&o.id){let s=a.querySelector('.msg[data-id="'+o.id+'"]');s&&(a.scrollTop=s.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.observeRows(),this.props.jump&&this.props.jump!==this.jumped&&this.showJump(this.props.jump),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check()))),Ct(this)}showJump(t){let n=this.props.chat.msgs,o=n.findIndex(s=>s.id===t.id);if(o<0)return;if(this.jumped=t,o>=this.state.start&&o<this.state.end){Kt(this.scroller,t.id);return}let a=Math.max(0,o-ne);this.setState({start:a,end:Math.min(n.length,Math.max(o+ne,a+ne)),stick:!1},()=>Kt(this.scroller,t.id))}componentWillUnmount(){cancelAnimationFrame(this.raf),this.ro&&this.ro.disconnect()}observeRows(){if(!(!this.ro||!this.scroller))for(let t of this.scroller.children)this.ro.observe(t)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:a}=this.state,s=n.msgs.length,r=t.scrollHeight-t.scrollTop-t.clientHeight,c=r<40&&a===s;if(c!==this.state.stick&&this.setState({stick:c}),t.scrollTop<As)if(o>0){let p=Math.max(0,o-ne);this.setState({start:p,end:Math.min(a,p+St),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),Ie(n.key).then(p=>{p||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(r<As&&a<s){let p=Math.min(s,a+ne);this.setState({end:p,start:Math.max(o,p-St)})}}render({chat:t,group:n,progress:o,uploads:a},{start:s,end:r,stick:c}){let p=t.msgs,u=[];s===0&&u.push(i`<${fr} key="older" chatKey=${t.key} />`);for(let l=s;l<r;l++){let m=p[l],g=l>0?p[l-1]:null,f=Vt(m.sent_at),w=!g||Vt(g.sent_at)!==f;w&&u.push(i`<div class="day" role="separator" key=${"d"+m.id}>${Fe(m.sent_at)}</div>`);let y=n&&m.direction==="in"&&(w||g.sender!==m.sender||g.direction!=="in")?m.sender_name||U(m.sender):"",k=m.media?o.get(m.media.id):void 0;u.push(i`<${qs} key=${m.id} m=${m} sender=${y} prog=${k} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(r===p.length)for(let l of a)u.push(i`<${Es} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?Io(l.uid):l.abort()} />`);return i`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${s}
        data-end=${r}
        data-total=${p.length}
      >
        ${u}
      </div>
      ${(!c||r<p.length)&&i`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${$} name="down" /> Latest</button>`}`}};function mr({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),a=e.slice(2),s=_(()=>Y(e)),r=_(g=>o?null:g.presence.get(a)),c=_(()=>o?"":bt(a)),p=_(g=>g.typing.get(e)),u="",l=!1;if(p&&p.size){l=!0;let g=[...p.keys()].map(U);u=o?g.join(", ")+(g.length>1?" are typing…":" is typing…"):"typing…"}else o?u=t?t.members.map(g=>d.me&&g.account===d.me.account?"You":g.name||U(g.account)).join(", "):"":r&&(u=r.state==="online"?"online":r.last_seen?rt(r.last_seen):"");let m=(o?"/group/":"/chat/")+a+"/info";return i`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
    <${Q} name=${s} group=${o} online=${r&&r.state==="online"} src=${c} />
    <div class="title">
      <button type="button" onClick=${()=>F(n?m.slice(0,-5):m)} aria-label=${(n?"Hide":"Show")+" details of "+s}>
        <h2>${s}</h2>
        <span class=${B("subtitle",l&&"typing")} data-presence=${r?r.state:""}>${u}</span>
      </button>
    </div>
    <${ds} chatKey=${e} />
    <a href=${n?m.slice(0,-5):m} class="icon-btn" onClick=${A} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${$} name="info" />
    </a>
  </header>`}function hr({chat:e}){let[t,n]=h(""),o=W("");return M(()=>{let a=e.msgs[e.msgs.length-1];if(!a||a.id===o.current)return;let s=!o.current;o.current=a.id,!s&&a.direction==="in"&&n((a.sender_name||U(a.sender))+": "+(a.text||(a.media?"a file":"")))},[e.msgs]),i`<div class="sr-only" aria-live="polite">${t}</div>`}function Ns({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),a=_(D=>D.chats.get(e)),s=_(D=>n?D.groups.get(o):null),r=_(D=>D.progress),c=_(D=>D.uploads),p=_(D=>D.jump&&D.jump.key===e?D.jump:null),u=_(D=>n?null:D.identity.get(o)),[l,m]=h(null),[g,f]=h(null),[w,y]=h(!1),[k,C]=h(null),S=st(D=>m(D),[]),L=st(D=>f(D),[]),E=c.filter(D=>D.key===e),qe=!n||!s||s.status==="active"&&(s.settings.post!=="admins"||s.role==="owner"||s.role==="admin"),ye=n&&s&&s.status!=="active"?s.status==="left"?"You left this group.":"You were removed from this group.":qe?"":"Only admins can send messages to this group.",Ce=D=>{ye||!D.dataTransfer||![...D.dataTransfer.types].includes("Files")||(D.preventDefault(),y(!0))},oe=D=>{y(!1),!(ye||!D.dataTransfer||!D.dataTransfer.files.length)&&(D.preventDefault(),C([...D.dataTransfer.files]))};return i`<section
    class="conversation"
    aria-label=${"Chat with "+Y(e)}
    data-chat=${e}
    onDragOver=${Ce}
    onDragLeave=${D=>D.currentTarget===D.target&&y(!1)}
    onDrop=${oe}
  >
    <${mr} chatKey=${e} group=${s} info=${t} />
    ${u&&i`<div class="banner" role="alert">
      <${$} name="shield" />
      <span class="grow">${Y(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${A}>Compare</a>
    </div>`}
    ${a?i`<${yn} key=${e} chat=${a} jump=${p} group=${n} progress=${r} uploads=${E} onOpenMedia=${S} onInfo=${L} />`:i`<div class="messages"></div>`}
    <${gr} chatKey=${e} />
    <${hr} chat=${a||{msgs:[]}} />
    ${ye?i`<p class="readonly-note">${ye}</p>`:i`<${Ls} key=${e} chatKey=${e} dropped=${k} />`}
    ${w&&i`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${l&&i`<${Rs} media=${l} onClose=${()=>m(null)} />`}
    ${g&&i`<${Ps} m=${g} onClose=${()=>f(null)} />`}
  </section>`}function gr({chatKey:e}){let t=_(o=>o.typing.get(e)),n=t?[...t.keys()].map(U):[];return i`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function xe({onText:e}){let[t,n]=h(!1),[o,a]=h(""),s=W(null),r=async(c,p)=>{try{let u=await Zn(c);if(u)return n(!1),a(""),e(u),!0}catch(u){p||a(u.message||"No QR code found in that image.")}return!1};return M(()=>{let c=p=>{let u=p.clipboardData&&[...p.clipboardData.files].find(l=>l.type.startsWith("image/"));u&&(p.preventDefault(),r(u))};return document.addEventListener("paste",c),()=>document.removeEventListener("paste",c)},[]),i`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&i`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${$} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>s.current.click()}><${$} name="qr" /> QR code from an image</button>
      <input
        ref=${s}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${c=>{let p=c.target.files[0];c.target.value="",p&&r(p)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&i`<${$r} onFrame=${c=>r(c,!0)} onError=${c=>(a(c),n(!1))} />`}
    ${o&&i`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function $r({onFrame:e,onError:t}){let n=W(null);return M(()=>{let o=null,a=0,s=!1,r=document.createElement("canvas"),c=()=>{let p=n.current;if(!(s||!p)){if(p.videoWidth){r.width=p.videoWidth,r.height=p.videoHeight,r.getContext("2d").drawImage(p,0,0),r.toBlob(async u=>{u&&!s&&await e(u)&&(s=!0),s||(a=setTimeout(c,600))},"image/jpeg",.85);return}a=setTimeout(c,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(p=>{if(o=p,s)return p.getTracks().forEach(u=>u.stop());n.current.srcObject=p,n.current.play(),c()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{s=!0,clearTimeout(a),o&&o.getTracks().forEach(p=>p.stop())}},[]),i`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function Os({onClose:e,initial:t}){let[n,o]=h(t||""),[a,s]=h(""),[r,c]=h(""),[p,u]=h(!1),l=ce(),m=it(n);M(()=>{m&&m.kind==="account"&&m.name&&!a&&s(m.name)},[n]);let g=async f=>{if(f.preventDefault(),!m){c("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}u(!0),c("");try{if(m.kind==="invite"){let w=await gt(m.link);T(w.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+w.group);return}await cn(m.account,a.trim()),e(),F("/chat/"+m.account)}catch(w){c(w.message)}finally{u(!1)}};return i`<${P}
    title="Add contact"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${p}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${g}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${f=>o(f.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&i`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&i`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${a} onInput=${f=>s(f.target.value)} />
      </label>`}
      ${r&&i`<p class="error-text" role="alert">${r}</p>`}
    </form>
    <${xe} onText=${f=>(o(f),c(""))} />
  </${P}>`}function Us(){let e=_(a=>a.me),[t,n]=h(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=oo(e.account,t.trim());return i`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>T(await Be(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${$} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>T(await Be(o)?"Contact link copied.":"Copy failed.")}>
        <${$} name="link" /> Copy contact link
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
    <img class="qr" src=${we(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${V(e.peer_id)}</p>
  </div>`}function js({onAdd:e}){let n=[..._(o=>o.contacts).values()].sort((o,a)=>(o.name||o.account).localeCompare(a.name||a.account));return i`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${$} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>i`<li key=${o.account} data-account=${o.account}>
              <${Q} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||V(o.account)}</strong>
                ${o.verified&&i` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&i` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${A}><${$} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&i`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${Us} />
    </div>
  </section>`}function Fs(){return i`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${Us} /></div>
  </section>`}function yr({account:e}){let t=_(f=>f.contacts.get(e)),n=_(f=>f.identity.get(e)),[o,a]=h(""),[s,r]=h(""),[c,p]=h(!1),[u,l]=h(null);M(()=>{x("/v1/contacts/"+O(e)+"/safety-number").then(f=>a(f.safety_number)).catch(f=>r(f.message))},[e,t&&t.identity_changed_at,n]);let m=so(o).split(" ").filter(Boolean),g=async()=>{try{await Lo(e),T("Marked as verified.")}catch(f){v(f)}};return i`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&i`<p class="banner" role="alert"><${$} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${s&&i`<p class="error-text">${s}</p>`}
    ${o&&i`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((f,w)=>i`<span key=${w}>${f}</span>`)}</div>
      <img class="qr" src=${we(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${c&&i`<${xe}
      onText=${f=>{p(!1),l(f.replace(/\s/g,"")===o)}}
    />`}
    ${u===!0&&i`<p class="verified" role="status">The numbers match.</p>`}
    ${u===!1&&i`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>p(!c)}><${$} name="camera" /> ${c?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?i`<span class="verified"><${$} name="shield" /> Verified</span>`:i`<button type="button" class="btn primary" onClick=${g} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var _r=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function vr({account:e}){let[t,n]=h(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async a=>{try{await q("/v1/conversations/"+O(e)+"/auto-download",{max_bytes:Number(a)}),localStorage.setItem("pigeon.auto."+e,a),n(a)}catch(s){v(s)}};return i`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${a=>o(a.target.value)}>
      ${_r.map(([a,s])=>i`<option value=${String(a)}>${s}</option>`)}
    </select>
  </label>`}function Bs({account:e}){let t=_(c=>c.contacts.get(e)),n=_(c=>c.presence.get(e)),[o,a]=h(t?t.name:"");M(()=>a(t?t.name:""),[t&&t.name]);let s=async c=>{c.preventDefault();try{await q("/v1/contacts/"+O(e),{name:o.trim()}),await J(),z(),T("Saved.")}catch(p){v(p)}},r=async()=>{if(confirm("Remove this contact? The chat stays."))try{await G("/v1/contacts/"+O(e)),await J()}catch(c){v(c)}};return i`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${A} aria-label="Close details"><${$} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?i`<form onSubmit=${s} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${c=>a(c.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:i`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>cn(e,"").catch(v)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&i`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${yr} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${vr} account=${e} />
    </div>
    <${as} account=${e} />
    ${t&&i`<div class="section"><button type="button" class="btn danger" onClick=${r}><${$} name="trash" /> Remove contact</button></div>`}
  </aside>`}function Ws({chosen:e,onChange:t,exclude:n}){let a=[..._(s=>s.contacts).values()].filter(s=>!n||!n.has(s.account));return a.length?i`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${a.map(s=>i`<label key=${s.account}>
        <input
          type="checkbox"
          checked=${e.has(s.account)}
          onChange=${r=>{let c=new Set(e);r.target.checked?c.add(s.account):c.delete(s.account),t(c)}}
        />
        ${s.name||V(s.account)}
      </label>`)}
  </fieldset>`:i`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function Hs({onClose:e}){let[t,n]=h(""),[o,a]=h(""),[s,r]=h(new Set),[c,p]=h(""),[u,l]=h(!1),m=ce(),g=async f=>{if(f.preventDefault(),!t.trim()){p("Give the group a name.");return}l(!0);try{let w=await Ao(t.trim(),o.trim(),[...s]);e(),F("/group/"+w.id)}catch(w){p(w.message)}finally{l(!1)}};return i`<${P}
    title="New group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${u}>Create</button>`}
  >
    <form id="new-group" onSubmit=${g}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${f=>n(f.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${f=>a(f.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${Ws} chosen=${s} onChange=${r} />
      ${c&&i`<p class="error-text" role="alert">${c}</p>`}
    </form>
  </${P}>`}function Gs({onClose:e}){let[t,n]=h(""),[o,a]=h(""),[s,r]=h(!1),c=ce(),p=async u=>{let l=it(u);if(!l||l.kind!=="invite"){a("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}r(!0),a("");try{let m=await gt(l.link);T(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+m.group)}catch(m){a(m.message)}finally{r(!1)}};return i`<${P}
    title="Join a group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${s}>${s?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${u=>{u.preventDefault(),p(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${c} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${u=>n(u.target.value)} placeholder="pgi…" /></label>
      ${o&&i`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${xe} onText=${u=>(n(u),p(u))} />
  </${P}>`}var vn=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function br({g:e}){let[t,n]=h(""),[o,a]=h("86400"),s=async()=>{try{let c=await R("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(c.link),X(e.id)}catch(c){v(c)}},r=async()=>{try{await R("/v1/groups/invites/revoke",{link:t}),n(""),X(e.id),T("Invite link revoked: nobody can join with it now.")}catch(c){v(c)}};return i`<div class="section invites">
    <h3>Invite link</h3>
    ${t?i`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${we(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>T(await Be(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${$} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${r}>Revoke</button>
          </div>`:i`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${c=>a(c.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${s}><${$} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&i`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function wr({g:e}){let t=_(l=>l.contacts);_(l=>l.profiles);let[n,o]=h(!1),[a,s]=h(new Set),r=d.me&&d.me.account,c=e.role==="owner"||e.role==="admin",p=async l=>{try{await l(),await X(e.id)}catch(m){v(m)}},u="/v1/groups/"+e.id+"/members";return i`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===r?"You":l.name||(t.get(l.account)||{}).name||V(l.account);return i`<li key=${l.account} data-account=${l.account}>
          <${Q} small name=${m} src=${bt(l.account)} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&i`<span class="role">${l.role}</span>`}
          ${c&&l.account!==r&&l.role!=="owner"&&i`<span class="row">
            ${l.role==="member"?i`<button type="button" class="btn" onClick=${()=>p(()=>q(u+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&i`<button type="button" class="btn" onClick=${()=>p(()=>q(u+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&p(()=>G(u+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${vn(e,"add")&&(n?i`<div>
          <${Ws} chosen=${a} onChange=${s} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!a.size}
              onClick=${()=>p(async()=>{await R(u,{accounts:[...a],role:"member"}),o(!1),s(new Set)})}
            >
              Add ${a.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:i`<button type="button" class="btn" onClick=${()=>o(!0)}><${$} name="person-add" /> Add members</button>`)}
  </div>`}function _n({g:e,k:t,label:n}){let o=async a=>{try{await je("/v1/groups/"+e.id,{settings:{...e.settings,[t]:a}}),await X(e.id)}catch(s){v(s)}};return i`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${a=>o(a.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function kr({g:e}){return i`<div class="section">
    <h3>Permissions</h3>
    <${_n} g=${e} k="post" label="Who can send messages" />
    <${_n} g=${e} k="add" label="Who can add members" />
    <${_n} g=${e} k="edit_info" label="Who can change name and description" />
    <${Yo} g=${e} />
  </div>`}function zs({id:e}){let t=_(l=>l.groups.get(e)),[n,o]=h(null),[a,s]=h(null);if(!t)return i`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let r=t.status==="active",c=r&&vn(t,"edit_info"),p=async l=>{l.preventDefault();try{await je("/v1/groups/"+e,{name:(n??t.name).trim(),description:(a??t.description??"").trim()}),await X(e),await te(),o(null),s(null),T("Saved.")}catch(m){v(m)}},u=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await R("/v1/groups/"+e+"/leave"),await X(e)}catch(l){v(l)}};return i`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${A} aria-label="Close details"><${$} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${c?i`<form onSubmit=${p}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${a??t.description??""} onInput=${l=>s(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&a===null}>Save</button>
          </form>`:i`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${r?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${r&&i`<${wr} g=${t} />`}
    ${r&&vn(t,"add")&&i`<${br} g=${t} />`}
    ${r&&(t.role==="owner"||t.role==="admin")&&i`<${kr} g=${t} />`}
    ${r&&i`<div class="section"><button type="button" class="btn danger" onClick=${u}>Leave group</button></div>`}
  </aside>`}function wn(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function xr(){let[e,t]=h(null),[n,o]=h(""),[a,s]=h(""),r=()=>x("/v1/relays").then(t).catch(v);M(()=>{r();let u=setInterval(r,1e4);return()=>clearInterval(u)},[]);let c=async u=>{u.preventDefault();try{await R("/v1/relays",a.trim()?{addr:n.trim(),invite:a.trim()}:{addr:n.trim()}),o(""),s(""),T("Relay added: the node reserves a slot there now."),r()}catch(l){v(l)}},p=async u=>{if(confirm("Stop using relay "+V(u.peer_id)+"? What its mailbox holds for you is taken first."))try{await G("/v1/relays/"+u.peer_id),r()}catch(l){v(l)}};return i`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(u=>i`<li key=${u.peer_id} data-peer=${u.peer_id}>
          <span class="grow">
            <span class="mono">${u.addr}</span>
            <div class="relay-stats">
              ${u.closing?"closing":u.reserved?"connected":"not connected"}
              ${u.latency_ms?" · "+u.latency_ms.toFixed(1)+" ms":""}
              ${u.region?" · "+u.region:""}
              ${u.mailbox?" · mailbox":""}
              ${u.push&&u.push!=="off"?" · push "+u.push+(u.push_reason?" ("+u.push_reason+")":""):""}
              ${u.last_error?i` · <span class="error-text">${u.last_error}</span>`:""}
            </div>
          </span>
          ${!u.closing&&i`<button type="button" class="btn danger" onClick=${()=>p(u)} aria-label=${"Remove relay "+u.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&i`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${c}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${u=>o(u.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${a} onInput=${u=>s(u.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function Cr(){let[e,t]=h(null),[n,o]=h("unifiedpush"),[a,s]=h(""),[r,c]=h(""),[p,u]=h(""),l=()=>x("/v1/push").then(t).catch(v);M(()=>{l()},[]);let m=async f=>{f.preventDefault();let w={kind:n};n==="unifiedpush"||n==="webhook"?w.url=a.trim():w.token=r.trim(),n==="apns"&&(w.topic=p.trim());try{await q("/v1/push",w),T("Push endpoint set; each relay says below whether it will use it."),l()}catch(y){v(y)}},g=async()=>{try{await G("/v1/push"),l()}catch(f){v(f)}};return i`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&i`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(f=>i`<li key=${f.peer_id}><span class="grow mono">${V(f.peer_id)}</span><span>${f.state}${f.reason?": "+f.reason:""}</span></li>`)}
      </ul>`}
    <form onSubmit=${m}>
      <label class="field">
        <span>Kind</span>
        <select value=${n} onChange=${f=>o(f.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${n==="unifiedpush"||n==="webhook"?i`<label class="field"><span>URL</span><input type="url" value=${a} onInput=${f=>s(f.target.value)} /></label>`:i`<label class="field"><span>Token</span><input type="text" value=${r} onInput=${f=>c(f.target.value)} /></label>`}
      ${n==="apns"&&i`<label class="field"><span>Topic</span><input type="text" value=${p} onInput=${f=>u(f.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&i`<button type="button" class="btn danger" onClick=${g}>Turn off</button>`}
      </div>
    </form>
  </div>`}function Sr(){let[e,t]=h("");M(()=>{x("/v1/presence/privacy").then(o=>t(o.who)).catch(v)},[]);let n=async o=>{try{await q("/v1/presence/privacy",{who:o}),t(o),T("Saved.")}catch(a){v(a)}};return i`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${o=>n(o.target.value)}>
        ${!e&&i`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var bn=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function Mr(){let e=_(a=>a.autoDownload),t=e?e.max_bytes:null,n=t==null||bn.some(([a])=>a===t)?bn:[...bn,[t,"Files up to "+ie(t)]],o=async a=>{try{await q("/v1/media-settings/auto-download",{max_bytes:Number(a)}),await on()}catch(s){v(s)}};return i`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${a=>o(a.target.value)}>
        ${n.map(([a,s])=>i`<option value=${String(a)}>${s}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function Dr(){let[e,t]=h(localStorage.getItem("pigeon.theme")||"system"),[n,o]=h(yt()),a=s=>{localStorage.setItem("pigeon.theme",s),t(s),wn(s)};return i`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(s=>i`<label key=${s}><input type="radio" name="theme" value=${s} checked=${e===s} onChange=${()=>a(s)} /> ${s==="system"?"Follow the system":s==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":i` <button type="button" class="btn" onClick=${async()=>o(await _t())}>Turn on</button>`}
    </p>
  </div>`}function Tr(){return i`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await R("/v1/web/logout")}catch(t){if(t.status!==401)return v(t)}d.boot="signedout",d.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function Ys(){return i`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${$} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${ns} />
      <${Xo} />
      <${Dr} />
      <${Sr} />
      <${$s} />
      <${Mr} />
      <${xr} />
      <${Cr} />
      <${Tr} />
    </div>
  </section>`}function Ir(){let e=d.convs.map(n=>({key:n.key,name:n.name||Y(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of d.contacts.values()){let o=re(n.account);t.has(o)||e.push({key:o,name:n.name||Y(o),group:!1})}return e}function Vs({onClose:e}){let[t,n]=h(""),[o,a]=h(0),s=ce(),r=t.trim().toLowerCase(),c=Ir(),p=(r?c.filter(g=>g.name.toLowerCase().includes(r)):c).slice(0,50),u=Math.min(o,p.length-1),l=g=>{g&&(e(),F(ee(g.key)))},m=g=>{g.key==="ArrowDown"?(g.preventDefault(),a((u+1)%Math.max(1,p.length))):g.key==="ArrowUp"?(g.preventDefault(),a((u-1+p.length)%Math.max(1,p.length))):g.key==="Enter"&&(g.preventDefault(),l(p[u]))};return i`<${P} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${s}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${p.length?"sw-"+u:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${g=>(n(g.target.value),a(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${p.map((g,f)=>i`<li id=${"sw-"+f} key=${g.key} role="option" aria-selected=${f===u?"true":"false"} onClick=${()=>l(g)} data-key=${g.key}>
          <${Q} small name=${g.name} group=${g.group} />
          ${g.name}
        </li>`)}
      ${!p.length&&i`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${P}>`}var Rr=500,Mt=null,Qs="";function Js(){return d.boot="setup",d.setup=null,b(),new Promise(e=>{Mt=e,Zs()})}function Xs(){let e=Mt;Mt=null,e&&e()}async function Zs(){if(Mt){try{d.setup=await x("/v1/setup"),d.setupDown=""}catch(e){d.setupDown=e.message}if(b(),d.setup&&d.setup.state==="ready"){Xs();return}setTimeout(Zs,Rr)}}var Ks=e=>(e||0).toLocaleString("en-US");function Pr({failed:e,onLink:t}){let[n,o]=h(!1),[a,s]=h("");return i`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),s("");try{await R("/v1/setup/create"),d.setup={state:"creating"},b()}catch(c){s(c.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(a||e)&&i`<p class="error-text setup-error" role="alert">${a||e.error}</p>`}
  </div>`}function qr({failed:e,onBack:t}){let[n,o]=h(""),[a,s]=h(Qs),[r,c]=h(!1),[p,u]=h(""),l=async g=>{g.preventDefault(),c(!0),u("");try{await R("/v1/setup/link",{code:n.trim(),name:a.trim()}),d.setup={state:"linking"},b()}catch(f){u(f.message)}c(!1)},m=p||e&&e.error;return i`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${g=>o(g.target.value)}></textarea>
    </label>
    <${xe} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${a} onInput=${g=>s(Qs=g.target.value)} />
    </label>
    ${m&&i`<p class="error-text setup-error" role="alert" data-code=${p?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${r||!n.trim()}>Link this device</button>
    </div>
  </form>`}function ea(){let e=_(s=>s.setup),t=_(s=>s.setupDown),[n,o]=h(""),a;if(!e)a=i`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")a=i`<p role="status">Creating your account…</p>`;else if(e.state==="linking")a=e.sas?i`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:i`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let s=e.history||{};a=i`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${s.error?"Getting your history stopped ("+s.error+"); it goes on when the devices meet again.":"Getting your history: "+Ks(s.done)+" of "+Ks(s.total)}</p>
      <progress max=${s.total||1} value=${s.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${Xs}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?a=i`<${qr} failed=${e.error} onBack=${()=>o("choice")} />`:a=i`<p>This device has no Pigeon account yet.</p><${Pr} failed=${e.error} onLink=${()=>o("link")} />`;return i`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${a}
    ${t&&i`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function Er(){return i`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function Lr(){let e=_(t=>t.toasts);return i`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>i`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>nn(t.id)}><${$} name="close" /></button>
      </div>`)}
  </div>`}function Ar(){return i`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function Nr(){let e=_(c=>c.boot),t=_(c=>c.storageFull),n=Oo(),[o,a]=h("");if(M(()=>{n.name==="chat"?sn(n.key):So()},[n.name,n.key,e]),M(()=>{let c=p=>{(p.ctrlKey||p.metaKey)&&!p.altKey&&p.key.toLowerCase()==="k"&&(p.preventDefault(),a("switcher"))};return document.addEventListener("keydown",c),()=>document.removeEventListener("keydown",c)},[]),e==="signedout")return i`<${Er} />`;if(e==="setup")return i`<${ea} />`;if(e==="error")return i`<main class="signin"><h1>Pigeon</h1><p class="error-text">${d.bootError}</p></main>`;let s=()=>a(""),r;if(n.name==="chat"){let c=i`<${Ns} key=${n.key} chatKey=${n.key} info=${n.info} />`,p=n.info&&(n.key.startsWith("g:")?i`<${zs} id=${n.key.slice(2)} />`:i`<${Bs} account=${n.key.slice(2)} />`);r=i`<main class="pane" id="main">${p?i`<div class="with-drawer">${c}${p}</div>`:c}</main>`}else n.name==="contacts"?r=i`<${js} onAdd=${()=>a("contact")} />`:n.name==="me"?r=i`<${Fs} />`:n.name==="settings"?r=i`<${Ys} />`:n.name==="requests"?r=i`<${ss} />`:r=i`<${Ar} />`;return i`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${Cs}
      current=${n.key}
      onNewGroup=${()=>a("group")}
      onAddContact=${()=>a("contact")}
      onJoin=${()=>a("join")}
    />
    ${t&&i`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${r}
    ${o==="switcher"&&i`<${Vs} onClose=${s} />`}
    ${o==="group"&&i`<${Hs} onClose=${s} />`}
    ${o==="contact"&&i`<${Os} onClose=${s} />`}
    ${o==="join"&&i`<${Gs} onClose=${s} />`}
    <${Zo} />
    <${Lr} />
  </div>`}function Or(){let e=_(t=>t.conn);return M(()=>{document.body.dataset.conn=e},[e]),i`<${Nr} />`}function Ur(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function jr(){Kn(()=>{d.boot="signedout",b()});let e=x("/v1/info");e.catch(()=>{}),await Ur();let t=document.getElementById("app");t.textContent="",t.className="",At(i`<${Or} />`,t);try{d.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await Js(),d.boot="loading",x("/v1/info")})}catch(n){n.status!==401&&(d.boot="error",d.bootError=n.message),b();return}b(),xt(),document.addEventListener("visibilitychange",()=>{Mo(document.visibilityState==="visible"),document.hidden||gn()}),window.addEventListener("online",gn),dt(Fo)}wn();jr();
