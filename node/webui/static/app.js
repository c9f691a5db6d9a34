/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,yn,Es,de,xt,Ke,_n,Ve,vn,St,Ct,As,qe=Symbol.for("pv"),Je={},Xe=[],Ns=/^m(i|n|o|s|text|space)$/,Mt=Array.isArray,Dt=Xe.slice,_e=Object.assign;function ye(e){e&&e.parentNode&&e.remove()}function bn(e,t,n){var o,a,s,r={},c=arguments.length;for(s in t)s=="key"?o=t[s]:s=="ref"&&typeof e!="function"?a=t[s]:r[s]=t[s];return c>2&&(r.children=c>3?Dt.call(arguments,2):n),Pe(e,r,o,a,null)}function Pe(e,t,n,o,a){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:qe,__v:a||++yn,__i:-1,__u:0};return!a&&T.vnode&&T.vnode(s),s}function Le(e){return e.children}function fe(e,t){this.props=e,this.context=t,this.__g=0}function me(e,t){if(t==null)return e.__&&me(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:me(e)}function Os(e){var t,n=e.__v,o=n.__e,a=[],s=[],r=e.__P;r&&((t=_e({constructor:qe},n)).__v=n.__v+1,T.vnode&&T.vnode(t),Tt(r,t,n,e.__n,r.namespaceURI,32&n.__u?[o]:null,a,o||me(n),32&n.__u,s),t.__v=n.__v,t.__.__k[t.__i]=t,Mn(a,t,s),n.__=n.__e=null,t.__e!=o&&wn(t))}function wn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),wn(e)}function gn(e){(8&e.__g||(e.__g|=8,de.push(e),Ke++))&&xt==T.debounceRendering||((xt=T.debounceRendering)||queueMicrotask)(kn)}function kn(){try{for(var e,t=1;de.length;)de.length>t&&de.sort(_n),e=de.shift(),t=de.length,8&e.__g&&Os(e)}finally{(Ke=de.length)&&(xt||queueMicrotask)(kn)}}function xn(e,t,n,o,a,s,r,c,u,d,l){var m,h,f,v,$,k,x=o.__k||Xe,C=t.length;for(u=Us(n,t,x,u,C),m=0;m<C;m++)(f=n.__k[m])!=null&&(h=~f.__i&&x[f.__i]||Je,f.__i=m,k=Tt(e,f,h,a,s,r,c,u,d,l),v=f.__e,(h.ref!=f.ref||8&h.__u)&&(h.ref&&Rt(h.ref,null,f,h),f.ref&&l.push(f.ref,f.__c||v,f)),$=$||v,4&f.__u?(u=Cn(f,u,e,!h.__v),h.__e&&(h.__e=null)):typeof f.type=="function"&&k!==void 0?u=k:v&&(u=v.nextSibling),f.__u&=-21);return n.__e=$,u}function Us(e,t,n,o,a){var s,r,c,u,d,l,m,h,f,v=n.length,$=v,k=0,x=0,C=e.__k=Array(a);for(s=0;s<a;s++)(r=t[s])!=null&&typeof r!="boolean"&&typeof r!="function"?(typeof r!="object"||r.constructor===String?r=C[s]=Pe(null,r):Mt(r)?r=C[s]=Pe(Le,{children:r}):r.constructor===qe&&r.__b?r=C[s]=Pe(r.type,r.props,r.key,r.ref,r.__v):C[s]=r,u=s+k,r.__=e,r.__b=e.__b+1,c=null,~(d=r.__i=js(r,n,u,$))&&($--,(c=n[d])&&(c.__u|=2)),c&&c.__v?(r.__u|=16,d==u-1?k--:d==u+1?k++:d!=u&&(d>u?k--:k++,x=1)):(~d||(a>v?k--:a<v&&k++),typeof r.type!="function"&&(r.__u|=4))):C[s]=null;if(x){for(l=[],m=[],s=0;s<a;s++)if((r=C[s])&&16&r.__u){for(k=0,h=l.length;k<h;)l[f=k+h>>1]<r.__i?k=f+1:h=f;l[k]=r.__i,m[s]=k+1}for(k=l.length;s--;)m[s]&&(m[s]==k?k--:C[s].__u|=4)}if($)for(s=0;s<v;s++)!(c=n[s])||2&c.__u||(c.__e==o&&(o=me(c)),It(c,c));return o}function Cn(e,t,n,o){var a,s,r,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(a=e.__k)for(s=0;s<a.length;s++)a[s]&&(a[s].__=e,t=Cn(a[s],t,n,!1));return t}for(t&&!t.parentNode&&(t=me(e))&&!t.parentNode&&(t=null),r=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(r!=c&&(!o&&n.moveBefore&&r.parentNode?n.moveBefore(r,t):n.insertBefore(r,t||null)),t=r;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function js(e,t,n,o){var a,s=e.key,r=e.type,c=t[n],u=c&&!(2&c.__u);if(c===null&&s==null||u&&s==c.key&&r==c.type)return n;if(o>(u?1:0)){for(a=n-1;a>=0;a--)if((c=t[a])&&!(2&c.__u)&&s==c.key&&r==c.type)return a;for(a=n+1;a<t.length;a++)if((c=t[a])&&!(2&c.__u)&&s==c.key&&r==c.type)return a}return-1}function $n(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Ye(e,t,n,o,a){var s,r;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||$n(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||$n(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(r=Ct[t]||(Ct[t]=Fs(t)),(e.__a||(e.__a={}))[t]=St,s=t!=(t=t.replace(vn,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,r,s):e.removeEventListener(t,r,s));else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function Fs(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[Ve]==null)t[Ve]=St++;else if(t[Ve]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function Tt(e,t,n,o,a,s,r,c,u,d){var l,m,h,f,v,$,k,x,C,q,I,Ie,ge,xe,ne,D,pe,$e,oe=t.type;if(t.constructor!==qe)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=s=[],l.nodeType==8?c=Qe(l,s):s.push(l),c=s[0]||c),(l=T.__b)&&l(t);e:if(typeof oe=="function"){h=r.length;try{if(x=t.props,C=(l=oe.prototype)&&l.render,q=(l=oe.contextType)&&o[l.__c],I=l?q?q.props.value:l.__:o,(f=n.__c)?(t.__c=f,2&f.__g&&(f.__g|=1)):(C?t.__c=f=new oe(x,I):(t.__c=f=new fe(x,I),f.constructor=oe,f.render=Ws),q&&q.sub(f),f.state||(f.state={}),f.__n=o,f.__g|=8,f.__h=[],f.__k=[]),C&&(f.__s||(f.__s=f.state),oe.getDerivedStateFromProps&&(f.__s==f.state&&(f.__s=_e({},f.__s)),_e(f.__s,oe.getDerivedStateFromProps(x,f.__s)))),v=f.props,$=f.state,f.__v=t,n.__c){if(x!==v&&C&&!oe.getDerivedStateFromProps&&f.componentWillReceiveProps&&f.componentWillReceiveProps(x,I),t.__v==n.__v&&!(8&f.__g)||!(4&f.__g)&&f.shouldComponentUpdate&&f.shouldComponentUpdate(x,f.__s,I)===!1){t.__v!=n.__v&&(f.props=x,f.state=f.__s,f.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(K){K&&(K.__=t)}),Xe.push.apply(f.__h,f.__k),f.__k=[],f.__h.length&&r.push(f),c=me(n);break e}f.componentWillUpdate&&f.componentWillUpdate(x,f.__s,I),C&&f.componentDidUpdate&&f.__h.push(function(){f.componentDidUpdate(v,$,k)})}else C&&!oe.getDerivedStateFromProps&&f.componentWillMount&&f.componentWillMount(),C&&f.componentDidMount&&f.__h.push(f.componentDidMount);f.context=I,f.props=x,f.__P=e,f.__g&=-5,Ie=T.__r,ge=C?25:0;do f.__g&=-9,Ie&&Ie(t),l=f.render(f.props,f.state=f.__s,f.context);while(8&f.__g&&++ge<25);C&&(Xe.push.apply(f.__h,f.__k),f.__k=[]),f.state=f.__s,f.getChildContext&&(o=_e({},o,f.getChildContext())),C&&n.__c&&f.getSnapshotBeforeUpdate&&(k=f.getSnapshotBeforeUpdate(v,$)),xe=l&&l.type===Le&&l.key==null?l.props.children:l,x.__P&&(l=c,a=(e=x.__P).namespaceURI,u=s=null,n.props&&n.props.__P!=e&&(n.__k.some(function(K){K&&It(K,K)}),n.__k=null),c=n.__k?me(n,0):null),c=xn(e,Mt(xe)?xe:[xe],t,n,o,a,s,r,c,u,d),x.__P&&(t.__e=null,c=l),t.__u&=-161,m&&m.some(ye),f.__h.length&&r.push(f),1&f.__g&&(f.__g&=-4)}catch(K){if(r.length=h,t.__v=null,u||s)if(K&&K.then){if(t.__u|=128|u,s){for(~(pe=s.indexOf(c||void 0))||(pe=s.length);($e=s[pe-1])&&$e.nodeType==8;)pe--;for(;pe<s.length;pe++)if($e=s[pe])if(s[pe]=null,ne){if($e==D)break}else{if($e.nodeType!=8)break;$e.data.startsWith("$s")&&(D=Qe(ne=$e))}}if(!ne){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;ne=c}(l=Qe(ne=t.__c.__z||(t.__c.__z=ne)))?(t.__e=ne,c=l):t.__e=c,c=c&&c.nextSibling}else s&&s.some(ye);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),K&&K.then||Sn(t),T.__e(K,t,n)}}else c=t.__e=Bs(n.__e,t,n,o,a,s,r,u,d,e);return(l=T.diffed)&&l(t),c}function Qe(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function Sn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(Sn))}function Mn(e,t,n){for(var o=0;o<n.length;)Rt(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(s){s.call(a)})}catch(s){T.__e(s,a.__v)}})}function Bs(e,t,n,o,a,s,r,c,u,d){var l,m,h,f,v,$,k,x,C=n.props||Je,q=t.props,I=t.type;if(I=="svg"?a="http://www.w3.org/2000/svg":I=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),s){for(l=0;l<s.length;l++)if((v=s[l])&&(I?v.localName==I:v.nodeType==3)){e=v,s[l]=null;break}}if(!e){if(x=d.ownerDocument||document,!I)return x.createTextNode(q);e=x.createElementNS(a,I,q.is?q:d),c&&(T.__m&&T.__m(t,s),c=!1),s=null}if(I){if(d=I=="template"&&e.content||e,s=I=="textarea"&&q.defaultValue!=null?null:s&&Dt.call(d.childNodes),!c&&s)for(C={},l=0;l<e.attributes.length;l++)C[(v=e.attributes[l]).name]=v.value;for(l in C)v=C[l],l=="dangerouslySetInnerHTML"?h=v:l=="children"||l in q||l=="value"&&"defaultValue"in q||l=="checked"&&"defaultChecked"in q||Ye(e,l,null,v,a);for(l in q)v=q[l],l=="children"?f=v:l=="dangerouslySetInnerHTML"?m=v:l=="value"?$=v:l=="checked"?k=v:c&&typeof v!="function"||C[l]===v||Ye(e,l,v,C[l],a);m?(c||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(I=="foreignObject"||a=="http://www.w3.org/1998/Math/MathML"&&Ns.test(I))&&(a="http://www.w3.org/1999/xhtml"),xn(d,Mt(f)?f:[f],t,n,o,a,s,r,s?s[0]:n.__k&&me(n,0),c,u),s&&s.some(ye)),c&&I!="textarea"||(l="value",I=="progress"&&$==null?e.removeAttribute(l):$==null||$===e[l]&&(I!="progress"||$)||Ye(e,l,$,C[l],a),l="checked",k!=null&&k!=e[l]&&Ye(e,l,k,C[l],a))}else C===q||c&&e.data==q||(e.data=q);return e}function Rt(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(a){T.__e(a,n)}}function It(e,t,n){var o,a,s,r;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||Rt(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(c){T.__e(c,t)}o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&It(o[r],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(a=Qe(o,s=[]))&&(o==e.__e&&s.some(ye),ye(a),ye(o)),n||ye(e.__e),e.__e=e.__c=e.__=null}function Ws(e,t,n){return this.constructor(e,n)}function Pt(e,t){var n,o,a,s;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=Pe(Le,{children:[e]}),a=[],s=[],Tt(t,t.__k,o||Je,Je,t.namespaceURI,o?null:t.firstChild?Dt.call(t.childNodes):null,a,o?o.__e:t.firstChild,n,s),Mn(a,t.__k,s),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var a,s,r;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((r=(s=a.constructor)&&s.getDerivedStateFromError)&&a.setState(s.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,o||{}),r=1),r&&8&a.__g)return void(a.__g|=2)}catch(c){e=c}}throw Ke=0,e}},yn=0,Es=function(e){return e!=null&&e.constructor===qe},fe.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=_e({},this.state)),typeof e=="function"&&(e=e(_e({},n),this.props)),e&&(_e(n,e),this.__v&&(t&&this.__k.push(t),gn(this)))},fe.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),gn(this))},fe.prototype.render=Le,de=[],Ke=0,_n=function(e,t){return e.__v.__b-t.__v.__b},Ve=Symbol(),vn=/(PointerCapture)$|Capture$/i,St=0,Ct={},As=0;var Tn=function(e,t,n,o){var a;t[0]=0;for(var s=1;s<t.length;s++){var r=t[s++],c=t[s]?(t[0]|=r?1:2,n[t[s++]]):t[++s];r===3?o[0]=c:r===4?o[1]=Object.assign(o[1]||{},c):r===5?(o[1]=o[1]||{})[t[++s]]=c:r===6?o[1][t[++s]]+=c+"":r?(a=e.apply(c,Tn(e,c,n,["",null])),o.push(a),c[0]?t[0]|=2:(t[s-2]=0,t[s]=a)):o.push(c)}return o},Dn=new Map;function Rn(e){var t=Dn.get(this);return t||(t=new Map,Dn.set(this,t)),(t=Tn(this,t.get(e)||(t.set(e,t=(function(n){for(var o,a,s=1,r="",c="",u=[0],d=function(h){s===1&&(h||(r=r.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,r):s===3&&(h||r)?(u.push(3,h,r),s=2):s===2&&r==="..."&&h?u.push(4,h,0):s===2&&r&&!h?u.push(5,0,!0,r):s>=5&&((r||!h&&s===5)&&(u.push(s,0,r,a),s=6),h&&(u.push(s,h,0,a),s=6)),r=""},l=0;l<n.length;l++){l&&(s===1&&d(),d(l));for(var m=0;m<n[l].length;m++)o=n[l][m],s===1?o==="<"?(d(),u=[u],s=3):r+=o:s===4?r==="--"&&o===">"?(s=1,r=""):r=o+r[0]:c?o===c?c="":r+=o:o==='"'||o==="'"?c=o:o===">"?(d(),s=1):s&&(o==="="?(s=5,a=r,r=""):o==="/"&&(s<5||n[l][m+1]===">")?(d(),s===3&&(u=u[0]),s=u,(u=u[0]).push(2,0,s),s=0):o===" "||o==="	"||o===`
`||o==="\r"?(d(),s=2):r+=o),s===3&&r==="!--"&&(s=4,u=u[0])}return d(),u})(e)),t),arguments,[])).length>1?t:t[0]}var Ce,O,qt,In,Lt=Object.is,Ae=0,jn=[],Et=[],N=T,Pn=N.__b,qn=N.__r,Ln=N.diffed,En=N.__c,An=N.unmount,Nn=N.__;function Ze(e,t){N.__h&&N.__h(O,e,Ae||t),Ae=0;var n=O.__H||(O.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Ae=1,et(Fn,e)}function et(e,t,n){var o=Ze(Ce++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Fn(void 0,t),function(s){var r=(o.__N||o.__)[0],c=o.t(r,s);Lt(r,c)||(o.__N=[c,o.__[1]],o.__c.setState({}))}],o.__c=O,!O.__f)){O.__f=!0;var a=O.shouldComponentUpdate;O.shouldComponentUpdate=function(s,r,c){var u=this.__H;if(!u)return!0;var d=!1,l=this.props!=s;if(u.__.some(function(h){h.__N&&(d=!0,Lt(h.__[0],h.__N[0])||(l=!0))}),a){var m=a.call(this,s,r,c);return d?m||l:m}return!d||l}}return o.__}function M(e,t){var n=Ze(Ce++,3);!N.__s&&Ot(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,O.__H.__h.push(n))}function Ne(e,t){var n=Ze(Ce++,4);!N.__s&&Ot(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,O.__h.push(n))}function W(e){return Ae=5,Nt(function(){return{current:e}},[])}function Nt(e,t){var n=Ze(Ce++,7);return Ot(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function tt(e,t){return Ae=8,Nt(function(){return e},t)}function Hs(){var e;do{for(;e=Et.shift();)try{Ee(e)}catch(n){N.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=jn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Ee),t.__h.some(At),t.__h=[]}catch(n){t.__h=[],N.__e(n,e.__v)}}}while(Et.length)}N.__b=function(e){O=null,Pn&&Pn(e)},N.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Nn&&Nn(e,t)},N.__r=function(e){qn&&qn(e),Ce=0;var t=(O=e.__c).__H;t&&(qt==O?O.__h=[]:(t.__h.some(Ee),t.__h.some(At),Ce=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),qt=O},N.diffed=function(e){Ln&&Ln(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Un(jn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),qt=O=null},N.__c=function(e,t){t.some(function(n){try{n.__h.some(Ee),n.__h=n.__h.filter(function(o){return!o.__||At(o)})}catch(o){n.__h=[function(){throw o}]}}),En&&En(e,t)},N.unmount=function(e){An&&An(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(a){try{if(a.__P&&a.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}a.__P=n,Un(Et.push(a))}else Ee(a)}catch(s){t=s}}),o.__H=void 0,t&&N.__e(t,o.__v))};var On=typeof requestAnimationFrame=="function";function Gs(e){var t,n=function(){clearTimeout(o),On&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);On&&(t=requestAnimationFrame(n))}function Un(e){e!=1&&In==N.requestAnimationFrame||((In=N.requestAnimationFrame)||Gs)(Hs)}function Ee(e){var t=O,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),O=t}function At(e){var t=O;e.__c=e.__(),O=t}function Ot(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!Lt(n,e[o])})}function Fn(e,t){return typeof t=="function"?t(e):t}var i=Rn.bind(bn);function Bn(e){class t extends fe{shouldComponentUpdate(o){let a=this.props;for(let s in a)if(a[s]!==o[s])return!0;for(let s in o)if(!(s in a))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var se=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},Ut=()=>{};function Wn(e){Ut=e}async function Hn(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Ut(),new se(e.status,t&&t.code,t&&t.error)}async function he(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let a;try{a=await fetch(t,o)}catch{throw new se(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!a.ok)throw await Hn(a);return a.status===204||a.status===202?null:(a.headers.get("Content-Type")||"").includes("json")?a.json():a.text()}var S=e=>he("GET",e),R=(e,t)=>he("POST",e,t),E=(e,t)=>he("PUT",e,t),Oe=(e,t)=>he("PATCH",e,t),H=e=>he("DELETE",e),U=encodeURIComponent;function jt(e,t,n){let o=e.slice(2),a=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,s="?limit="+n;return t&&(s+="&before="+t),a+"/messages"+s}function Gn({key:e,file:t,caption:n,replyTo:o,onProgress:a}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n),o&&s.set("reply_to",o);let r=new XMLHttpRequest;return{promise:new Promise((u,d)=>{r.open("POST","/v1/media?"+s.toString()),r.responseType="json",r.upload.onprogress=l=>a&&a(l.loaded,l.lengthComputable?l.total:t.size),r.onload=()=>{let l=r.response;if(r.status===201&&l&&l.id){u(l.id);return}r.status===401&&Ut(),d(new se(r.status,l&&l.code,l&&l.error))},r.onerror=()=>d(new se(0,"network","the upload was cut off: is the daemon still running?")),r.onabort=()=>d(new se(0,"aborted","upload cancelled")),r.send(t)}),abort:()=>r.abort()}}var Se=e=>"/v1/media/"+e+"/content",Ft=e=>"/v1/media/"+e+"/thumbnail",ve=e=>"/v1/qr.svg?text="+U(e);async function zn(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await Hn(t);return(await t.json()).text}function Bt(e,t){let n=document.createElement("a");n.href=Se(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var be=e=>"p:"+e,Me=e=>"g:"+e,Z=e=>e.group?Me(e.group):be(e.peer),ee=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),z=e=>e?e.slice(0,12)+"…":"",Wt=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),Yn=new Intl.DateTimeFormat(void 0,{weekday:"long"}),zs=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),Ys=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),Vn=e=>e?Date.parse(e):0,ot=e=>e?Wt.format(new Date(e)):"";function nt(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Ht(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Ue(e,t=Date.now()){let n=new Date(e),o=Math.round((nt(new Date(t))-nt(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?Yn.format(n):zs.format(n)}function De(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((nt(new Date(t))-nt(n))/864e5);return o===0?Wt.format(n):o===1?"Yesterday":o>1&&o<7?Yn.format(n):Ys.format(n)}function st(e,t=Date.now()){if(!e)return"";let n=Ue(e,t),o=Wt.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function ae(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var Gt=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,Qn=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function B(...e){return e.filter(Boolean).join(" ")}var Vs=/pgi[a-z2-7]{160}/,Qs=/pg[a-z2-7]{58}(?![a-z2-7])/;function at(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(Vs);if(o)return{kind:"invite",link:o[0]};let a=n.match(Qs);if(!a)return null;let s="",r=t.indexOf("?");if(r>=0)try{s=new URLSearchParams(t.slice(r+1)).get("name")||""}catch{s=""}return{kind:"account",account:a[0],name:s}}function Kn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var Jn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var y=({name:e,label:t,class:n})=>t?i`<span class=${B("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:i`<span class=${B("icon","i-"+e,n)} aria-hidden="true"></span>`;function Y({name:e,online:t,small:n,group:o,src:a}){return i`<span class=${B("avatar",n&&"small")} aria-hidden="true">
    ${o?i`<${y} name="group" />`:a?i`<img class="avatar-img" src=${a} alt="" />`:Qn(e)}
    ${t&&i`<span class="dot"></span>`}
  </span>`}var Ks=0;function L({title:e,onClose:t,children:n,actions:o,class:a,label:s}){let r=W(null),c=W("dlg"+ ++Ks).current;return Ne(()=>{let u=r.current,d=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),d&&d.focus&&document.contains(d)&&d.focus()}},[]),i`<dialog
    ref=${r}
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
    ${o&&i`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function re(){let e=W(null);return M(()=>{e.current&&e.current.focus()},[]),e}async function je(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}var Js=0,Xs=e=>"/v1/messages/"+e+"/quote-thumbnail";function Zs(e){let t=Z(e);p.replying=new Map(p.replying).set(t,e),w();let n=document.getElementById("composer-"+t);n&&n.focus()}function it(e){if(!p.replying.has(e))return;let t=new Map(p.replying);t.delete(e),p.replying=t,w()}async function ea(e,t){for(;;){let n=p.chats.get(e);if(!n)return!1;if(n.ids.has(t))break;if(!n.hasOlder)return!1;if(n.loading){await new Promise(s=>setTimeout(s,50));continue}let o=await Te(e),a=p.chats.get(e);if(!o&&!a.hasOlder&&!a.ids.has(t))return!1}return p.jump={key:e,id:t,seq:++Js},w(),!0}function zt(e,t){let n=e&&e.querySelector('.msg[data-id="'+t+'"]');return n?(n.scrollIntoView({block:"center"}),n.classList.add("highlight"),setTimeout(()=>n.classList.remove("highlight"),2e3),!0):!1}function Xn(e){return p.me&&e.author===p.me.account?"You":e.author_name||j(e.author)}function Zn(e){return e.state==="deleted"?"This message was deleted":(e.file_name?"📎 "+e.file_name+(e.snippet?" — "+e.snippet:""):e.snippet)||"a file"}function eo({m:e}){let[t,n]=g(!1),o=e.reply_to;if(!o)return null;let a=Z(e),s=o.state!=="ok",r=async()=>{if(s)return;await ea(a,o.id).catch(u=>(b(u),!0))||n(!0)};return i`<button type="button" class=${B("quote",s&&"gone")} data-quote=${o.id} data-quote-state=${o.state} onClick=${r}
      aria-label=${"Reply to "+Xn(o)+": "+Zn(o)+(s?"":". Show the original")}>
    ${o.has_thumbnail&&i`<img src=${Xs(e.id)} alt="" width="40" height="40" />`}
    <span class="grow">
      <span class="quote-who">${Xn(o)}</span>
      <span class="quote-text">${Zn(o)}</span>
      ${o.state==="unknown"&&i`<span class="quote-note">original not on this device</span>`}
      ${t&&i`<span class="quote-note">original not found in this chat</span>`}
    </span>
  </button>`}function to({m:e}){return i`<button type="button" class="icon-btn reply-btn" aria-label="Reply" title="Reply" onClick=${()=>Zs(e)}><${y} name="reply" /></button>`}function no({chatKey:e}){let t=_(a=>a.replying.get(e));if(!t)return null;let n=t.direction==="out"?"You":t.sender_name||j(t.sender),o=t.media?"📎 "+(t.media.name||"file")+(t.text?" — "+t.text:""):t.text;return i`<div class="reply-bar" role="status" data-replying=${t.id}>
    <${y} name="reply" />
    <span class="grow">
      <span class="quote-who">Replying to ${n}</span>
      <span class="quote-text">${o}</span>
    </span>
    <button type="button" class="icon-btn" aria-label="Cancel reply" onClick=${()=>it(e)}><${y} name="close" /></button>
  </div>`}var oo="forever";function Yt(e){return!e||!e.muted_until?!1:e.muted_until===oo||Date.parse(e.muted_until)>Date.now()}var so=e=>Yt(p.convs.find(t=>t.key===e)),rt=e=>({pinned:!!e.pinned,muted_until:e.muted_until||"",archived:!!e.archived});function ao(e,t){let n=t.find(c=>c.key===e.key);n&&Object.assign(e,rt(n));let o=p.archived.findIndex(c=>c.key===e.key);if(o>=0){let c=p.archived.slice();return c[o]={...e,...rt(p.archived[o])},p.archived=c,t}if(n&&n.pinned)return t.map(c=>c===n?e:c);let a=t.filter(c=>c.key!==e.key),s=e.pinned?0:a.findIndex(c=>!c.pinned),r=s<0?a.length:s;return[...a.slice(0,r),e,...a.slice(r)]}async function ta(e,t,n){let o=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/prefs":"/v1/conversations/"+e.slice(2)+"/prefs";try{await E(o,t),await n()}catch(a){b(a)}}function ro({c:e,reload:t}){let[n,o]=g(!1),a=Yt(e),s=r=>()=>(o(!1),ta(e.key,r,t));return i`<span class="chat-menu">
    <button type="button" class="icon-btn" aria-label=${"Chat options"} aria-expanded=${n?"true":"false"} onClick=${()=>o(!n)}><${y} name="more" /></button>
    ${n&&i`<ul class="menu" role="menu">
      <li role="none"><button type="button" role="menuitem" onClick=${s({pinned:!e.pinned})}>${e.pinned?"Unpin":"Pin"}</button></li>
      ${a?i`<li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:null})}>Unmute</button></li>`:i`<li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:new Date(Date.now()+8*36e5).toISOString()})}>Mute for 8 hours</button></li>
            <li role="none"><button type="button" role="menuitem" onClick=${s({muted_until:oo})}>Mute always</button></li>`}
      <li role="none"><button type="button" role="menuitem" onClick=${s({archived:!e.archived})}>${e.archived?"Unarchive":"Archive"}</button></li>
    </ul>`}
  </span>`}function io({c:e}){return i`${e.pinned&&i`<${y} name="pin" label="pinned" class="mark" />`}${Yt(e)&&i`<${y} name="mute" label="muted" class="mark" />`}`}function co({Item:e,current:t}){let n=_(s=>s.archived),[o,a]=g(!1);return n.length?i`<li class="archived-section">
    <button type="button" class="btn archived-toggle" aria-expanded=${o?"true":"false"} onClick=${()=>a(!o)}>
      Archived (${n.length})
    </button>
    ${o&&i`<ul class="chats" aria-label="Archived chats">${n.map(s=>i`<${e} key=${s.key} c=${s} current=${s.key===t} />`)}</ul>`}
  </li>`:null}var lt=50,p={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],replying:new Map,jump:null,archived:[],visible:document.visibilityState==="visible",profiles:new Map,requests:[],blocked:new Set,myProfile:null},Fe=new Set,Vt=!1;function w(){Vt||(Vt=!0,queueMicrotask(()=>{Vt=!1;for(let e of Fe)e()}))}function go(e){return Fe.add(e),()=>Fe.delete(e)}function na(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function _(e){let[,t]=et(a=>a+1,0),n=W(null),o=e(p);return n.current={sel:e,val:o},Ne(()=>{let a=()=>{let s=n.current;na(s.sel(p),s.val)||t()};return Fe.add(a),a(),()=>Fe.delete(a)},[]),o}var oa=0;function P(e,t="info"){let n=++oa;p.toasts=[...p.toasts,{id:n,text:e,kind:t}],w(),setTimeout(()=>Xt(n),t==="error"?8e3:4e3)}function Xt(e){p.toasts=p.toasts.filter(t=>t.id!==e),w()}function b(e){e instanceof se&&e.status===401||P(e&&e.message?e.message:String(e),"error")}function j(e){if(!e)return"";if(p.me&&e===p.me.account)return"You";let t=p.contacts.get(e),n=p.profiles.get(e);return t&&t.name||n&&n.name||z(e)}function G(e){if(e.startsWith("g:")){let o=p.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=p.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=p.convs.find(o=>o.key===e);return n&&n.name||z(e.slice(2))}async function J(){let e=await S("/v1/contacts");p.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!p.identity.has(t.account)&&(p.identity=new Map(p.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&p.identity.has(t.account)){let n=new Map(p.identity);n.delete(t.account),p.identity=n}w()}async function ut(){let e=await S("/v1/groups");p.groups=new Map(e.map(t=>[t.id,t])),w()}async function X(e){try{let t=await S("/v1/groups/"+e);p.groups=new Map(p.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(p.groups);n.delete(e),p.groups=n}else throw t}w()}function lo(e){return{key:e.group?Me(e.group):be(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||e.profile_name||"",avatar:e.avatar_url||"",last:e.last,unread:e.unread,...rt(e)}}var $o=0,yo=new Map;async function te(){let e=$o,[t,n]=await Promise.all([S("/v1/conversations"),S("/v1/conversations?archived=true")]),o=t.map(lo);p.archived=n.map(lo);for(let s of o)(yo.get(s.key)||0)>e&&(s.unread=0);let a=new Set(o.concat(p.archived).map(s=>s.key));for(let s of p.groups.values()){let r=Me(s.id);!a.has(r)&&s.status==="active"&&o.push({key:r,peer:"",group:s.id,name:s.name,last:null,unread:0})}p.convs=o,w();for(let s of o.slice(0,30))s.peer&&!p.presence.has(s.peer)&&_o(s.peer)}var uo=0;function V(){clearTimeout(uo),uo=setTimeout(()=>te().catch(()=>{}),300)}var Qt=new Set;async function _o(e){if(!Qt.has(e)){Qt.add(e);try{let t=await S("/v1/presence/"+e);p.presence=new Map(p.presence).set(e,t),w()}catch{}finally{Qt.delete(e)}}}async function Zt(){p.autoDownload=await S("/v1/media-settings/auto-download"),w()}async function pt(){await Promise.all([J(),ut(),Zt().catch(()=>{})]),await te();let e=p.open;p.chats=new Map,p.boot="ready",w(),e&&await en(e)}function sa(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function ie(e){p.chats.set(e.key,e),w()}async function en(e){p.open=e,w();let t=p.chats.get(e);if(!t||!t.ready){t=sa(e),t.loading=!0,ie(t);try{let n=await S(jt(e,"",lt)),o=p.chats.get(e),a=n.slice(),s=new Set(n.map(r=>r.id));for(let r of o.msgs)s.has(r.id)||(a.push(r),s.add(r.id));ie({...o,msgs:a,ids:s,hasOlder:n.length===lt,loading:!1,ready:!0})}catch(n){ie({...p.chats.get(e),loading:!1}),b(n)}}e.startsWith("p:")&&_o(e.slice(2)),We(e)}function vo(){p.open="",w()}async function Te(e){let t=p.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;ie({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await S(jt(e,n,lt)),a=p.chats.get(e),s=o.filter(r=>!a.ids.has(r.id));for(let r of s)a.ids.add(r.id);return ie({...a,msgs:s.concat(a.msgs),hasOlder:o.length===lt,loading:!1}),s.length}catch(n){return ie({...p.chats.get(e),loading:!1}),b(n),0}}var po={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Be(e,{incoming:t=!1}={}){let n=Z(e),o=p.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),ie({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(d=>d.id===e.id);u&&(po[e.state]??0)>(po[u.state]??0)&&Q(e.id,d=>({...d,state:e.state,pending:void 0}))}let a=p.convs.findIndex(u=>u.key===n),s=a>=0?p.convs[a]:null;if(s&&s.last&&s.last.id===e.id)return;let r=(s?s.unread:0)+(t&&!(p.open===n&&p.visible)?1:0),c={key:n,peer:e.peer||"",group:e.group||"",name:s&&s.name||e.peer_name||e.group_name||"",last:e,unread:r};p.convs=ao(c,p.convs),w(),!s&&e.group&&!p.groups.has(e.group)&&X(e.group).catch(()=>{})}function Q(e,t){let n=!1;for(let a of p.chats.values()){if(!a.ids.has(e))continue;let s=a.msgs.findLastIndex(c=>c.id===e);if(s<0)continue;let r=a.msgs.slice();r[s]=t(r[s]),ie({...a,msgs:r}),n=!0}let o=p.convs.findIndex(a=>a.last&&a.last.id===e);if(o>=0){let a=p.convs.slice();a[o]={...a[o],last:t(a[o].last)},p.convs=a,n=!0}return n&&w(),n}var Kt=new Set;async function dt(e){for(let t of p.chats.values())if(t.ids.has(e))return;if(!Kt.has(e)){Kt.add(e);try{Be(await S("/v1/messages/"+e))}catch{}finally{Kt.delete(e)}}}var Jt=new Map,fo=new Set;function We(e){if(!e||e!==p.open||!p.visible)return;let t=p.convs.find(r=>r.key===e),n=p.chats.get(e),o=n?n.msgs.filter(r=>r.direction==="in"&&r.state==="received").map(r=>r.id):[];if((!t||!t.unread)&&!o.length)return;if(Jt.has(e)){fo.add(e);return}let a=new Set(o),s=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";Jt.set(e,!0),R(s).then(()=>{yo.set(e,++$o),p.convs=p.convs.map(c=>c.key===e?{...c,unread:0}:c);let r=p.chats.get(e);r&&ie({...r,msgs:r.msgs.map(c=>a.has(c.id)&&c.state==="received"?{...c,state:"read"}:c)}),w()}).catch(b).finally(()=>{Jt.delete(e),fo.delete(e)&&We(e)})}function bo(e){p.visible=e,w(),e&&We(p.open)}async function wo(e,t,n){let o=e.slice(2),a=n?{reply_to:n}:{},s=e.startsWith("g:")?await R("/v1/groups/"+o+"/messages",{text:t,...a}):await R("/v1/messages",{to:o,text:t,...a}),r=await S("/v1/messages/"+s.id);return Be(r),r}var aa=0;async function ko(e,t,n,o){let a=++aa,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",r=Gn({key:e,file:t,caption:n,replyTo:o,onProgress:c=>{p.uploads=p.uploads.map(u=>u.uid===a?{...u,loaded:c}:u),w()}});p.uploads=[...p.uploads,{uid:a,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:r.abort,preview:s}],w();try{let c=await r.promise,u=await S("/v1/messages/"+c);Be(u),p.uploads=p.uploads.filter(d=>d.uid!==a)}catch(c){c.code==="aborted"?p.uploads=p.uploads.filter(u=>u.uid!==a):p.uploads=p.uploads.map(u=>u.uid===a?{...u,error:c.message}:u),c.code!=="aborted"&&b(c)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),w()}}function xo(e){p.uploads=p.uploads.filter(t=>t.uid!==e),w()}var ct=0,mo=0;function ft(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(mo);let o=Date.now();if(t){if(mo=setTimeout(()=>ft(e,!1),5e3),o-ct<3e3)return;ct=o}else{if(!ct)return;ct=0}R(n,{active:t}).catch(()=>{})}async function tn(e){try{await R("/v1/media/"+e+"/fetch"),Q(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){b(t)}}function Co(e){p.progress=new Map(p.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),w()}function So(e){if(Q(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&p.progress.has(e.id)){let t=new Map(p.progress);t.delete(e.id),p.progress=t,w()}}var ho=0;function Mo(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[a,s]of p.typing){let r=new Map;for(let[c,u]of s)u>e?(r.set(c,u),t=Math.min(t,u)):n=!0;r.size&&o.set(a,r)}n&&(p.typing=o,w()),clearTimeout(ho),t!==1/0&&(ho=setTimeout(Mo,t-e+50))}function nn(e,t,n,o){let a=new Map(p.typing),s=new Map(a.get(e)||[]);n?s.set(t,Vn(o)||Date.now()+6e3):s.delete(t),s.size?a.set(e,s):a.delete(e),p.typing=a,w(),Mo()}function Do(e){let t=p.presence.get(e.account)||{};p.presence=new Map(p.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),w()}async function on(e,t){await E("/v1/contacts/"+U(e),t?{name:t}:{}),await J(),V()}async function To(e){await R("/v1/contacts/"+U(e)+"/verify");let t=new Map(p.identity);t.delete(e),p.identity=t,await J()}async function Ro(e,t,n){let o=await R("/v1/groups",{name:e,description:t,members:n});return p.groups=new Map(p.groups).set(o.id,o),await te(),o}async function mt(e){let t=await R("/v1/groups/join",{link:e});return await ut(),await te(),t}var ht=new Set;function F(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of ht)n()}}window.addEventListener("popstate",()=>{for(let e of ht)e()});function Io(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,a]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:a==="info"}:n==="contacts"||n==="me"||n==="settings"||n==="requests"?{name:n}:{name:"home"}}function Po(){let[e,t]=g(()=>Io());return M(()=>{let n=()=>t(Io());return ht.add(n),()=>ht.delete(n)},[]),e}function A(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),F(t.getAttribute("href"))}var sn=()=>"Notification"in window,gt=()=>sn()?Notification.permission:"unsupported";async function $t(){return sn()?Notification.requestPermission():"unsupported"}function Lo(e,t){if(!document.hidden||!sn()||Notification.permission!=="granted")return;let n=Z(e);if(t||so(n))return;let o=G(n),a=e.group?j(e.sender)+" in "+o:o,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let r=new Notification(a,{body:s.slice(0,200),tag:n,icon:document.querySelector("link[rel=icon]").href});r.onclick=()=>{window.focus(),F(ee(n)),r.close()}}catch{}}var qo="";function Eo(){let e=0;for(let n of p.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==qo&&(qo=t,document.title=t)}var ra=["👍","❤️","😂","😮","😢","🙏"],ia=24*3600*1e3,ca=48*3600*1e3;function No(e){switch(e.type){case"message_edited":Q(e.id,t=>({...t,text:e.text,edited:!0,edits:e.edits,edited_at:e.edited_at}))||dt(e.id);return;case"message_deleted":Q(e.id,t=>({...t,deleted:!0}))&&V();return;case"reaction_changed":la(e.id);return}}async function la(e){try{let t=await S("/v1/messages/"+e);Q(e,n=>({...n,reactions:t.reactions,text:t.text,edited:t.edited,edits:t.edits}))}catch{}}function Oo(e){return e.direction==="out"||p.me&&e.sender===p.me.account}function ua(e){if(Oo(e))return Date.now()-Date.parse(e.sent_at)<ca;if(!e.group)return!1;let t=p.groups.get(e.group);return!!(t&&t.settings&&t.settings.admins_delete&&(t.role==="admin"||t.role==="owner"))}async function Uo(e,t){try{let n=await E("/v1/messages/"+e.id+"/reaction",{emoji:t});Q(e.id,o=>({...o,reactions:n.reactions}))}catch(n){b(n)}}async function Ao(e,t){try{await H("/v1/messages/"+e.id+"?for="+(t?"everyone":"me")),Q(e.id,n=>({...n,deleted:!0})),V()}catch(n){b(n)}}function pa({m:e,onClose:t}){let[n,o]=g(e.text||""),a=re();return i`<${L} title="Edit message" onClose=${t} class="edit-dialog">
    <form class="edit-form" onSubmit=${async r=>{r.preventDefault();let c=n.trim();if(!c||c===e.text)return t();try{let u=await E("/v1/messages/"+e.id,{text:c});Q(e.id,d=>({...d,text:u.text,edited:!0,edits:u.edits,edited_at:u.edited_at})),t()}catch(u){b(u)}}}>
      <textarea ref=${a} aria-label="New text" value=${n} onInput=${r=>o(r.target.value)}></textarea>
      <p class="muted">${10-(e.edits||0)} edits left. Everyone in the chat sees that it was edited, and the earlier versions.</p>
      <div class="row">
        <button type="submit" class="btn primary">Save</button>
        <button type="button" class="btn" onClick=${t}>Cancel</button>
      </div>
    </form>
  </${L}>`}function da({m:e,onClose:t}){let[n,o]=g(null),[a,s]=g("");return n===null&&!a&&S("/v1/messages/"+e.id+"/versions").then(r=>o(r||[])).catch(r=>s(r.message)),i`<${L} title="Edit history" onClose=${t}>
    ${a&&i`<p class="error-text">${a}</p>`}
    ${!n&&!a&&i`<p class="muted">Loading…</p>`}
    ${n&&i`<ol class="list versions">
      ${n.map(r=>i`<li key=${r.version} data-version=${r.version}>
          <span class="grow text">${r.text}</span>
          <span class="muted">${r.version===0?"original":"edit "+r.version} · <time datetime=${r.at}>${ot(r.at)}</time></span>
        </li>`)}
    </ol>`}
  </${L}>`}function fa({m:e,onEdit:t,onClose:n}){let a=Oo(e)&&(e.edits||0)<10&&Date.now()-Date.parse(e.sent_at)<ia,s=r=>()=>{n(),r()};return i`<div class="msg-menu" role="menu" aria-label="Message actions">
    <div class="react-row" role="group" aria-label="React">
      ${ra.map(r=>i`<button type="button" role="menuitem" class="emoji-btn" aria-label=${"React "+r} onClick=${s(()=>Uo(e,r))}>${r}</button>`)}
    </div>
    ${a&&i`<button type="button" role="menuitem" class="menu-item" onClick=${s(t)}>Edit</button>`}
    <button type="button" role="menuitem" class="menu-item" onClick=${s(()=>Ao(e,!1))}>Delete for me</button>
    ${ua(e)&&i`<button type="button" role="menuitem" class="menu-item danger" onClick=${s(()=>Ao(e,!0))}>Delete for everyone</button>`}
  </div>`}function ma({m:e}){if(!e.reactions||!e.reactions.length)return null;let t=p.me&&p.me.account;return i`<div class="reactions" aria-label="Reactions">
    ${e.reactions.map(n=>{let o=(n.accounts||[]).map(s=>s===t?"You":j(s)).join(", "),a=(n.accounts||[]).includes(t);return i`<button
        type="button"
        key=${n.emoji}
        class=${B("reaction",a&&"ours")}
        data-emoji=${n.emoji}
        data-count=${n.count}
        title=${o}
        aria-label=${n.emoji+" "+n.count+": "+o}
        onClick=${()=>Uo(e,a?"":n.emoji)}
      >${n.emoji} ${n.count}</button>`})}
  </div>`}function jo({m:e}){let[t,n]=g("");return i`<div class="msg-actions">
    ${e.edited&&i`<button type="button" class="edited" onClick=${()=>n("versions")} aria-label="Edited: show earlier versions">edited</button>`}
    <${ma} m=${e} />
    <button type="button" class="icon-btn msg-menu-btn" aria-haspopup="menu" aria-expanded=${t==="menu"} aria-label="Message actions"
      onClick=${()=>n(t==="menu"?"":"menu")}>⋯</button>
    ${t==="menu"&&i`<${fa} m=${e} onEdit=${()=>n("edit")} onClose=${()=>n("")} />`}
    ${t==="edit"&&i`<${pa} m=${e} onClose=${()=>n("")} />`}
    ${t==="versions"&&i`<${da} m=${e} onClose=${()=>n("")} />`}
  </div>`}function Fo({g:e}){let t=async n=>{try{await Oe("/v1/groups/"+e.id,{settings:{...e.settings,admins_delete:n}}),await X(e.id)}catch(o){b(o)}};return i`<label class="field check">
    <input type="checkbox" checked=${!!(e.settings&&e.settings.admins_delete)} onChange=${n=>t(n.target.checked)} />
    <span>Admins can delete anyone's messages</span>
  </label>`}async function Re(){p.devices=await S("/v1/devices"),w()}var yt=e=>(e||0).toLocaleString("en-US");function ha(e){let t=p.devices&&p.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function Bo(e){p.linkRequest=e,w()}function Wo(e){p.linkOffer=null,p.linkRequest&&p.linkRequest.peer_id===e.peer_id&&(p.linkRequest=null),w(),P("Linked "+(e.name||"a new device")+". It is getting your history now."),Re().catch(()=>{})}function Ho(){Re().catch(()=>{})}function Go(e){p.historySync=e,w()}function ga(e){return e.this?"":e.online?"online":e.last_seen?st(e.last_seen):"not seen since it was linked"}function $a(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function ya({offer:e,onAgain:t}){let[n,o]=g(Date.now());return M(()=>{let a=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(a)},[]),Date.parse(e.expires)<=n?i`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:i`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${ve(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${a=>a.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${$a(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>_a(e)}>Cancel</button>
  </div>`}async function _a(e){try{await he("DELETE","/v1/devices/link",{code:e.code})}catch(t){b(t)}p.linkOffer=null,w()}function va({d:e,holdsKey:t}){let[n,o]=g(!1),[a,s]=g(e.name),r=async d=>{d.preventDefault();try{await E("/v1/devices/"+e.id,{name:a.trim()}),o(!1),await Re()}catch(l){b(l)}},c=()=>{s(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await H("/v1/devices/"+e.id),P("Revoked "+(e.name||"device "+e.id)+"."),await Re()}catch(d){b(d)}};return n?i`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${r}>
        <input type="text" class="grow" aria-label="Device name" value=${a} maxlength="64" onInput=${d=>s(d.target.value)} />
        <button type="submit" class="btn" disabled=${!a.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:i`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&i` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,ga(e),"added "+Ue(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${c} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&i`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function ba(){let e=_(n=>n.historySync);if(_(n=>n.devices),!e)return null;let t=ha(e.device);return e.error?i`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${yt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?i`<p class="history-sync muted" role="status">History synced from ${t}: ${yt(e.total)} changes.</p>`:i`<p class="history-sync" role="status">Syncing history from ${t}: ${yt(e.done)} of ${yt(e.total)}</p>`}function zo(){let e=_(o=>o.devices),t=_(o=>o.linkOffer);M(()=>{Re().catch(b);let o=setInterval(()=>Re().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{p.linkOffer=await R("/v1/devices/link"),w()}catch(o){b(o)}};return i`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>i`<${va} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${ba} />
    ${e&&(e.holds_account_key?t?i`<${ya} offer=${t} onAgain=${n} />`:i`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:i`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function Yo(){let e=_(n=>n.linkRequest);if(!e)return null;let t=async n=>{p.linkRequest=null,w();try{await R("/v1/devices/link-requests/"+e.id,{accept:n}),n||P("The device was not linked.")}catch(o){b(o)}};return i`<${L}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${i`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var wa=49152;async function ce(){let[e,t,n,o]=await Promise.all([S("/v1/profiles").catch(()=>[]),S("/v1/requests").catch(()=>[]),S("/v1/blocked").catch(()=>[]),S("/v1/profile").catch(()=>null)]);p.profiles=new Map(e.map(a=>[a.account,a])),p.requests=t,p.blocked=new Set(n.map(a=>a.account)),p.myProfile=o,w()}function Qo(e){switch(e.type){case"profile_changed":case"blocked_changed":case"request_received":case"request_changed":return ce().catch(()=>{}),J().then(V).catch(()=>{}),!0}return!1}function _t(e){let t=p.profiles&&p.profiles.get(e);return t&&t.has_avatar?t.avatar_url:""}async function ka(e){let t=await createImageBitmap(e),n=Math.min(1,256/Math.max(t.width,t.height)),o=document.createElement("canvas");o.width=Math.max(1,Math.round(t.width*n)),o.height=Math.max(1,Math.round(t.height*n)),o.getContext("2d").drawImage(t,0,0,o.width,o.height);for(let a of[.9,.8,.6,.4]){let s=await new Promise(r=>o.toBlob(r,"image/jpeg",a));if(s&&s.size<=wa)return s}throw new Error("the picture does not fit 48 KiB even small: try another one")}async function xa(e){let t=await fetch("/v1/profile/avatar",{method:"PUT",body:e,credentials:"same-origin",headers:{"Content-Type":e.type}});if(!t.ok){let n=await t.json().catch(()=>({}));throw new Error(n.message||"the daemon refused the picture")}}function Ko(){let e=_(r=>r.myProfile),[t,n]=g(e?e.name:"");M(()=>n(e?e.name:""),[e&&e.name]);let o=async r=>{r.preventDefault();try{await E("/v1/profile",{name:t}),await ce(),P("Profile saved: your contacts and groups get it.")}catch(c){b(c)}},a=async r=>{let c=r.target.files&&r.target.files[0];if(r.target.value="",!!c)try{await xa(await ka(c)),await ce()}catch(u){b(u)}},s=async()=>{try{await H("/v1/profile/avatar"),await ce()}catch(r){b(r)}};return i`<div class="card profile-card">
    <h3>Profile</h3>
    <p class="muted">Your name and picture, end-to-end encrypted to your contacts and groups.</p>
    <div class="row">
      <${Y} name=${t||"?"} src=${e&&e.has_avatar?e.avatar_url:""} />
      <label class="btn">Choose picture<input type="file" accept="image/*" class="sr-only" onChange=${a} aria-label="Choose a profile picture" /></label>
      ${e&&e.has_avatar&&i`<button type="button" class="btn" onClick=${s}>Remove picture</button>`}
    </div>
    <form class="row" onSubmit=${o}>
      <label class="field grow"><span>Display name</span><input type="text" maxlength="64" value=${t} onInput=${r=>n(r.target.value)} id="profile-name" /></label>
      <button class="btn primary" type="submit">Save</button>
    </form>
  </div>`}function Jo(){let e=_(t=>t.requests||[]);return e.length?i`<a href="/requests" class="requests-entry" onClick=${A} id="requests-entry">
    <${y} name="person-add" /> <span class="grow">Message requests</span><span class="badge">${e.length}</span>
  </a>`:null}function Vo(e){return e.profile_name||e.name||z(e.peer)}function Xo(){let e=_(n=>n.requests||[]),t=async(n,o)=>{try{if(o==="accept"&&await R("/v1/requests/"+U(n.peer)+"/accept",{name:""}),o==="delete"){if(!confirm("Delete this request and its messages?"))return;await H("/v1/requests/"+U(n.peer))}o==="block"&&await R("/v1/requests/"+U(n.peer)+"/block"),await ce(),await J(),V(),o==="accept"&&F("/chat/"+n.peer)}catch(a){b(a)}};return i`<section class="pane page" aria-labelledby="requests-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${y} name="back" /></a>
      <h2 id="requests-title">Message requests</h2>
    </header>
    <div class="page-body">
      <p class="muted">People who are not in your contacts wrote to you. They do not see that you read their messages until you accept.</p>
      <ul class="requests">
        ${e.map(n=>i`<li key=${n.peer} class="card request" data-account=${n.peer}>
            <div class="row">
              <${Y} name=${Vo(n)} src=${n.avatar_url||""} />
              <span class="grow"><strong>${Vo(n)}</strong><br /><span class="muted">${n.last?n.last.text:""}</span></span>
              <span class="time">${n.last?De(n.last.sent_at):""}</span>
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
  </section>`}function Zo({account:e}){let t=_(o=>!!(o.blocked&&o.blocked.has(e))),n=async()=>{try{if(t)await H("/v1/blocked/"+U(e));else{if(!confirm("Block this account? Its messages will be dropped on all your devices."))return;await E("/v1/blocked/"+U(e))}await ce()}catch(o){b(o)}};return i`<div class="section">
    <button type="button" class=${"btn"+(t?"":" danger")} onClick=${n} id="block-toggle">
      ${t?"Unblock":"Block"}
    </button>
    ${t&&i`<p class="muted">Blocked: messages from this account are dropped.</p>`}
  </div>`}var le=null,rn="",He=0,an=0,cn=!1,Ge=250,es=0,ts=Promise.resolve();function vt(){if(clearTimeout(es),le)return;cn=!!rn;let e=cn?"?epoch="+encodeURIComponent(rn)+"&after="+He:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);le=n,n.onmessage=o=>{let a;try{a=JSON.parse(o.data)}catch{return}ts=ts.then(()=>Ca(a)).catch(s=>console.error("pigeon: event",a.type,s))},n.onclose=()=>{le===n&&(le=null,p.conn="down",w(),es=setTimeout(vt,Ge),Ge=Math.min(Ge*2,5e3))}}function ln(){if(!(le&&le.readyState===WebSocket.OPEN)){if(le){let e=le;le=null,e.onclose=null,e.close()}Ge=250,vt()}}async function Ca(e){if(e.type==="hello"){rn=e.epoch||"",an=e.seq||0,p.conn="live",Ge=250,w(),cn||(He=an,await Promise.all([pt(),ce().catch(()=>{})]));return}if(e.type==="reset"){He=an,await Promise.all([pt(),ce().catch(()=>{})]);return}if(typeof e.seq=="number"){if(e.seq<=He)return;He=e.seq}Sa(e)}function Sa(e){if(!Qo(e))switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Be(t,{incoming:n}),n&&(Lo(t,e.muted),We(Z(t)),V());return}case"chat_prefs_changed":V();return;case"message_state_changed":{Q(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||dt(e.id);return}case"message_edited":case"message_deleted":case"reaction_changed":No(e);return;case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])Q(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":nn(be(e.from),e.from,e.active,e.until);return;case"group_typing":nn(Me(e.group),e.from,e.active,e.until);return;case"presence":Do(e);return;case"group_changed":X(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?te():null).catch(()=>{});return;case"group_receipt":p.receiptTick=(p.receiptTick||0)+1,w();return;case"media_progress":Co(e);return;case"media_state":So(e);return;case"contact_changed":J().then(V).catch(()=>{});return;case"identity_changed":p.identity=new Map(p.identity).set(e.account,e),w(),J().catch(()=>{});return;case"storage":p.storageFull=e.state==="full",w(),p.storageFull&&P("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":Bo(e);return;case"device_linked":Wo(e);return;case"device_revoked":Ho(e);return;case"history_sync":Go(e);return;case"dropped":pt().catch(()=>{}),ut().catch(()=>{});return}}var ns=20,Ma=250;function Da(e){let t=new TextEncoder().encode(e.text),n=new TextDecoder,o=[],a=0;for(let[s,r]of e.ranges||[]){if(s<a||r>t.length||s>r)break;s>a&&o.push({text:n.decode(t.subarray(a,s))}),o.push({text:n.decode(t.subarray(s,r)),mark:!0}),a=r}return a<t.length&&o.push({text:n.decode(t.subarray(a))}),o}function Ta({h:e}){let t=e.message,n=Z(t),o=t.group?t.group_name||G(n):t.peer_name||G(n),a=t.direction==="out"?"You":t.sender_name||j(t.sender);return i`<li>
    <a
      href=${ee(n)}
      class="search-hit"
      data-id=${t.id}
      onClick=${s=>{s.button!==0||s.metaKey||s.ctrlKey||s.shiftKey||s.altKey||(s.preventDefault(),Ra(n,t.id))}}
    >
      <span class="top">
        <span class="name">${o}</span>
        <span class="time">${De(t.sent_at)}</span>
      </span>
      <span class="snippet">
        ${t.group||t.direction==="out"?a+": ":""}${e.snippet.field==="file_name"?"📎 ":""}
        ${Da(e.snippet).map(s=>s.mark?i`<mark>${s.text}</mark>`:s.text)}
      </span>
    </a>
  </li>`}function os(){let[e,t]=g(""),[n,o]=g(null),[a,s]=g(!1),r=W(0),c=e.trim();M(()=>{if(!c){o(null);return}let d=++r.current,l=setTimeout(async()=>{try{let m=await S("/v1/search?q="+U(c)+"&limit="+ns);d===r.current&&o({q:c,hits:m.hits,next:m.next_cursor||""})}catch(m){if(d!==r.current)return;m.status===400?o({q:c,hits:[],next:"",error:m.message}):b(m)}},Ma);return()=>clearTimeout(l)},[c]);let u=async()=>{if(!(!n||!n.next||a)){s(!0);try{let d=await S("/v1/search?q="+U(n.q)+"&limit="+ns+"&cursor="+U(n.next));o(l=>l&&l.q===n.q?{...l,hits:l.hits.concat(d.hits),next:d.next_cursor||""}:l)}catch(d){b(d)}finally{s(!1)}}};return i`<div class="msg-search" role="search">
    <label>
      <${y} name="search" />
      <span class="sr-only">Search messages</span>
      <input
        type="search"
        id="message-search"
        placeholder="Search messages"
        value=${e}
        onInput=${d=>t(d.target.value)}
        onKeyDown=${d=>d.key==="Escape"&&t("")}
      />
    </label>
    ${n&&i`<div class="search-results" aria-live="polite">
      ${n.error?i`<p class="hint" role="alert">${n.error}</p>`:n.hits.length?i`<ul aria-label="Search results">
              ${n.hits.map(d=>i`<${Ta} key=${d.message.id} h=${d} />`)}
            </ul>`:i`<p class="hint">No message matches “${n.q}”.</p>`}
      ${n.next&&i`<button type="button" class=${B("btn","more")} disabled=${a} onClick=${u}>More results</button>`}
    </div>`}
  </div>`}var we=null,ze=null;function Ra(e,t){we={key:e,id:t},F(ee(e)),ze&&ze.scroller&&ze.props.chat.key===e&&bt(ze)}function bt(e){ze=e;let t=e.props.chat;if(!we||we.key!==t.key||!e.scroller)return;let n=t.msgs,o=n.findIndex(c=>c.id===we.id);if(o<0){if(!t.ready||t.loading)return;if(!t.hasOlder){we=null;return}Te(t.key);return}let{start:a,end:s}=e.state;if(o<a||o>=s){let c=Math.max(0,o-25);e.setState({start:c,end:Math.min(n.length,Math.max(o+25,c+50)),stick:!1});return}let r=e.scroller.querySelector('.msg[data-id="'+we.id+'"]');r&&(we=null,e.state.stick&&e.setState({stick:!1}),r.scrollIntoView({block:"center"}),r.classList.add("found"),setTimeout(()=>r.classList.remove("found"),2500))}function Ia(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||j(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function ss({c:e,current:t}){let n=e.name||G(e.key),o=_(c=>e.peer?c.presence.get(e.peer):null),a=_(c=>c.typing.has(e.key)),s=o&&o.state==="online",r=n+(e.unread?", "+e.unread+" unread":"")+(s?", online":"");return i`<li>
    <a
      href=${ee(e.key)}
      class=${B("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${r}
      onClick=${A}
      data-key=${e.key}
    >
      <${Y} name=${n} group=${!!e.group} online=${s} src=${e.avatar} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <${io} c=${e} />
          <span class="time">${e.last?De(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${a?i`<em>typing…</em>`:Ia(e)}</span>
          ${e.unread>0&&i`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
    <${ro} c=${e} reload=${te} />
  </li>`}function Pa(){let[e,t]=g(gt()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:i`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await $t())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${y} name="close" /></button>
  </div>`}function as({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let a=_(m=>m.convs),s=_(m=>m.conn),r=_(m=>m.me),[c,u]=g(""),d=c.trim().toLowerCase(),l=d?a.filter(m=>(m.name||G(m.key)).toLowerCase().includes(d)||(m.peer||m.group).startsWith(d)):a;return i`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${A} aria-label="My account and QR code"><${Y} small name=${r?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${y} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${y} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${y} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${A} aria-label="Contacts"><${y} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${A} aria-label="Settings"><${y} name="gear" /></a>
    </header>
    ${s==="down"&&i`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${Pa} />
    <${os} />
    <div class="filter" role="search">
      <label>
        <${y} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${c}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&d&&l.length&&(m.preventDefault(),F(ee(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <${Jo} />
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>i`<${ss} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!d&&i`<${co} Item=${ss} current=${e} />`}
      ${!l.length&&i`<li class="hint">${d?"No chat matches “"+c+"”.":i`No chats yet. <a href="/contacts" onClick=${A}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var is={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},qa={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function un({state:e}){let t=qa[e];return t?i`<span class=${B("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${is[e]} data-state=${e}></span>`:null}function cs(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function rs(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+Gt(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function ls({prog:e,label:t}){return!e||!e.total?i`<progress aria-label=${t}></progress>`:i`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function us({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",a=t&&t.direction==="download"?t:null;return i`<div class="file-card" data-media-state=${e.state}>
    <${y} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${ae(e.size)}${e.mime?" · "+e.mime:""}${rs(e,a)&&" · "+rs(e,a)}</div>
      ${o&&i`<${ls} prog=${a} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?i`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>Bt(e.id,e.name)}>
          <${y} name="download" />
        </button>`:!o&&i`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+ae(e.size)} onClick=${()=>tn(e.id)}>
          <${y} name="download" />
        </button>`}
  </div>`}function La({media:e,prog:t,onOpen:n}){let o=e.state==="local",a=cs(e.width,e.height),s=o?Se(e.id):e.thumbnail?Ft(e.id):"";if(!s)return i`<${us} media=${e} prog=${t} />`;let r=e.state==="fetching"||e.state==="retrying";return i`<div>
    <button type="button" class=${B("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${s} alt=${e.caption||e.name||"picture"} width=${a.width} height=${a.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&i`<div class="row file-meta">
      ${r?i`<${ls} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:i`<button type="button" class="btn" onClick=${()=>tn(e.id)}><${y} name="download" /> ${ae(e.size)}</button>`}
    </div>`}
  </div>`}function ps({media:e,onClose:t}){return i`<${L} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${Se(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>Bt(e.id,e.name)}><${y} name="download" /> Save</button>
    </div>
  </${L}>`}function Ea({media:e,prog:t,onOpen:n}){let o=e.mime||"",a=e.state==="local";return o.startsWith("image/")?i`<${La} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?i`<video
      class="media-video"
      controls
      preload=${a?"metadata":"none"}
      poster=${e.thumbnail?Ft(e.id):void 0}
      src=${Se(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${cs(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?i`<audio class="media-audio" controls preload=${a?"metadata":"none"} src=${Se(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:i`<${us} media=${e} prog=${t} />`}function ds({m:e,onClose:t}){let n=_(l=>l.receiptTick||0),o=_(l=>l.groups.get(e.group)),[a,s]=g(null),[r,c]=g("");M(()=>{S("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>s(l.receipts||{})).catch(l=>c(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!p.me||l.account!==p.me.account):[],d=new Set([...u.map(l=>l.account),...Object.keys(a||{})]);return i`<${L} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${r&&i`<p class="error-text">${r}</p>`}
    ${!a&&!r&&i`<p class="muted">Loading…</p>`}
    ${a&&i`<ul class="list receipts">
      ${[...d].map(l=>{let m=a[l]||"";return i`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${j(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${un} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${L}>`}var fs=Bn(function({m:t,sender:n,prog:o,onOpen:a,onInfo:s}){if(t.deleted)return null;let r=t.direction==="out";return i`<div class=${B("msg",r?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?i`<span class="sender">${n}</span>`:i`<span class="sr-only">${r?"You:":""}</span>`}
      ${t.reply_to&&i`<${eo} m=${t} />`}
      ${t.media&&i`<${Ea} media=${t.media} prog=${o} onOpen=${()=>a(t.media)} />`}
      ${t.text&&i`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${ot(t.sent_at)}</time>
        ${r&&(t.group?i`<button type="button" aria-label=${"Message info: "+(is[t.state]||t.state)} onClick=${()=>s(t)}><${un} state=${t.state} /></button>`:i`<${un} state=${t.state} />`)}
        <${to} m=${t} />
      </span>
      ${r&&t.state==="pending"&&t.pending&&t.pending.reason&&i`<span class="why">${t.pending.reason}</span>`}
      <${jo} m=${t} />
    </div>
  </div>`});function ms({u:e,onCancel:t}){return i`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&i`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?i`<span class="error-text">${e.error}</span>`:"sending "+Gt(e.loaded,e.size)+"% of "+ae(e.size)}</div>
      ${!e.error&&i`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var Aa=0;function hs({chatKey:e,dropped:t}){let[n,o]=g(""),[a,s]=g([]),[r,c]=g(!1),u=W(null),d=W(null),l=$=>{let k=[...$].map(x=>({id:++Aa,file:x,preview:x.type.startsWith("image/")?URL.createObjectURL(x):""}));k.length&&s(x=>x.concat(k)),u.current&&u.current.focus()},m=$=>s(k=>k.filter(x=>(x.id===$&&x.preview&&URL.revokeObjectURL(x.preview),x.id!==$)));M(()=>{t&&t.length&&l(t)},[t]),M(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),M(()=>{let $=u.current;$&&($.style.height="auto",$.style.height=$.scrollHeight+2+"px")},[n]);let h=async()=>{let $=n.trim();if(r||!$&&!a.length)return;let k=a,x=p.replying.get(e);if(o(""),s([]),ft(e,!1),k.length){it(e),k.forEach((C,q)=>{ko(e,C.file,q===0?$:"",q===0&&x?x.id:"").finally(()=>C.preview&&URL.revokeObjectURL(C.preview))});return}c(!0);try{await wo(e,$,x?x.id:""),it(e)}catch(C){o($),b(C)}finally{c(!1),u.current&&u.current.focus()}},f=$=>{$.key==="Enter"&&!$.shiftKey&&!$.isComposing&&($.preventDefault(),h())},v=$=>{let k=$.clipboardData&&$.clipboardData.files;k&&k.length&&($.preventDefault(),l(k))};return i`<div class="composer-wrap">
    <${no} chatKey=${e} />
    ${a.length>0&&i`<ul class="staged" aria-label="Files to send">
      ${a.map($=>i`<li class="staged-item" key=${$.id}>
          ${$.preview?i`<img src=${$.preview} alt="" />`:i`<${y} name="doc" />`}
          <span class="grow">${$.file.name} <span class="muted">${ae($.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+$.file.name} onClick=${()=>m($.id)}><${y} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${$=>{$.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>d.current.click()}><${y} name="attach" /></button>
      <input ref=${d} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${$=>(l($.target.files),$.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${a.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${a.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${$=>{o($.target.value),$.target.value&&ft(e,!0)}}
        onKeyDown=${f}
        onPaste=${v}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${r}><${y} name="send" /></button>
    </form>
  </div>`}var wt=200,ue=50,gs=600,Na=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function Oa({chatKey:e}){let t=_(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?i`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?i`<p class="older"> </p>`:i`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var pn=class extends fe{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-ue),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let a=o.length;if(!n.msgs||!n.msgs.length||!a)return{msgs:o,start:Math.max(0,a-ue),end:a,stick:!0,wantUp:!1};let s=n.msgs[0].id,r=0;if(o[0].id!==s&&(r=o.findIndex(l=>l.id===s),r<0))return{msgs:o,start:Math.max(0,a-ue),end:a,stick:!0,wantUp:!1};let c=n.start+r,u=n.end+r,d=n.end===n.msgs.length;return n.wantUp&&r>0?(c=Math.max(0,c-ue),u=Math.min(u,c+wt)):d&&n.stick&&(u=a,c=Math.max(c,u-wt)),{msgs:o,start:c,end:u,wantUp:n.wantUp&&r===0}}shouldComponentUpdate(t,n){let o=this.props,a=this.state;return t.chat.msgs!==o.chat.msgs||t.jump!==o.jump||t.group!==o.group||t.progress!==o.progress||!Na(t.uploads,o.uploads)||n.msgs!==a.msgs||n.start!==a.start||n.end!==a.end||n.stick!==a.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check(),bt(this)}componentDidUpdate(t,n,o){let a=this.scroller;if(o&&o.stick)a.scrollTop=a.scrollHeight;else if(o&&o.id){let s=a.querySelector('.msg[data-id="'+o.id+'"]');s&&(a.scrollTop=s.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.props.jump&&this.props.jump!==this.jumped&&this.showJump(this.props.jump),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check()))),bt(this)}showJump(t){let n=this.props.chat.msgs,o=n.findIndex(s=>s.id===t.id);if(o<0)return;if(this.jumped=t,o>=this.state.start&&o<this.state.end){zt(this.scroller,t.id);return}let a=Math.max(0,o-ue);this.setState({start:a,end:Math.min(n.length,Math.max(o+ue,a+ue)),stick:!1},()=>zt(this.scroller,t.id))}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:a}=this.state,s=n.msgs.length,r=t.scrollHeight-t.scrollTop-t.clientHeight,c=r<40&&a===s;if(c!==this.state.stick&&this.setState({stick:c}),t.scrollTop<gs)if(o>0){let u=Math.max(0,o-ue);this.setState({start:u,end:Math.min(a,u+wt),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),Te(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(r<gs&&a<s){let u=Math.min(s,a+ue);this.setState({end:u,start:Math.max(o,u-wt)})}}render({chat:t,group:n,progress:o,uploads:a},{start:s,end:r,stick:c}){let u=t.msgs,d=[];s===0&&d.push(i`<${Oa} key="older" chatKey=${t.key} />`);for(let l=s;l<r;l++){let m=u[l],h=l>0?u[l-1]:null,f=Ht(m.sent_at),v=!h||Ht(h.sent_at)!==f;v&&d.push(i`<div class="day" role="separator" key=${"d"+m.id}>${Ue(m.sent_at)}</div>`);let $=n&&m.direction==="in"&&(v||h.sender!==m.sender||h.direction!=="in")?m.sender_name||j(m.sender):"",k=m.media?o.get(m.media.id):void 0;d.push(i`<${fs} key=${m.id} m=${m} sender=${$} prog=${k} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(r===u.length)for(let l of a)d.push(i`<${ms} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?xo(l.uid):l.abort()} />`);return i`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${s}
        data-end=${r}
        data-total=${u.length}
      >
        ${d}
      </div>
      ${(!c||r<u.length)&&i`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${y} name="down" /> Latest</button>`}`}};function Ua({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),a=e.slice(2),s=_(()=>G(e)),r=_(h=>o?null:h.presence.get(a)),c=_(()=>o?"":_t(a)),u=_(h=>h.typing.get(e)),d="",l=!1;if(u&&u.size){l=!0;let h=[...u.keys()].map(j);d=o?h.join(", ")+(h.length>1?" are typing…":" is typing…"):"typing…"}else o?d=t?t.members.map(h=>p.me&&h.account===p.me.account?"You":h.name||j(h.account)).join(", "):"":r&&(d=r.state==="online"?"online":r.last_seen?st(r.last_seen):"");let m=(o?"/group/":"/chat/")+a+"/info";return i`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${y} name="back" /></a>
    <${Y} name=${s} group=${o} online=${r&&r.state==="online"} src=${c} />
    <div class="title">
      <button type="button" onClick=${()=>F(n?m.slice(0,-5):m)} aria-label=${(n?"Hide":"Show")+" details of "+s}>
        <h2>${s}</h2>
        <span class=${B("subtitle",l&&"typing")} data-presence=${r?r.state:""}>${d}</span>
      </button>
    </div>
    <a href=${n?m.slice(0,-5):m} class="icon-btn" onClick=${A} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${y} name="info" />
    </a>
  </header>`}function ja({chat:e}){let[t,n]=g(""),o=W("");return M(()=>{let a=e.msgs[e.msgs.length-1];if(!a||a.id===o.current)return;let s=!o.current;o.current=a.id,!s&&a.direction==="in"&&n((a.sender_name||j(a.sender))+": "+(a.text||(a.media?"a file":"")))},[e.msgs]),i`<div class="sr-only" aria-live="polite">${t}</div>`}function $s({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),a=_(D=>D.chats.get(e)),s=_(D=>n?D.groups.get(o):null),r=_(D=>D.progress),c=_(D=>D.uploads),u=_(D=>D.jump&&D.jump.key===e?D.jump:null),d=_(D=>n?null:D.identity.get(o)),[l,m]=g(null),[h,f]=g(null),[v,$]=g(!1),[k,x]=g(null),C=tt(D=>m(D),[]),q=tt(D=>f(D),[]),I=c.filter(D=>D.key===e),Ie=!n||!s||s.status==="active"&&(s.settings.post!=="admins"||s.role==="owner"||s.role==="admin"),ge=n&&s&&s.status!=="active"?s.status==="left"?"You left this group.":"You were removed from this group.":Ie?"":"Only admins can send messages to this group.",xe=D=>{ge||!D.dataTransfer||![...D.dataTransfer.types].includes("Files")||(D.preventDefault(),$(!0))},ne=D=>{$(!1),!(ge||!D.dataTransfer||!D.dataTransfer.files.length)&&(D.preventDefault(),x([...D.dataTransfer.files]))};return i`<section
    class="conversation"
    aria-label=${"Chat with "+G(e)}
    data-chat=${e}
    onDragOver=${xe}
    onDragLeave=${D=>D.currentTarget===D.target&&$(!1)}
    onDrop=${ne}
  >
    <${Ua} chatKey=${e} group=${s} info=${t} />
    ${d&&i`<div class="banner" role="alert">
      <${y} name="shield" />
      <span class="grow">${G(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${A}>Compare</a>
    </div>`}
    ${a?i`<${pn} key=${e} chat=${a} jump=${u} group=${n} progress=${r} uploads=${I} onOpenMedia=${C} onInfo=${q} />`:i`<div class="messages"></div>`}
    <${Fa} chatKey=${e} />
    <${ja} chat=${a||{msgs:[]}} />
    ${ge?i`<p class="readonly-note">${ge}</p>`:i`<${hs} key=${e} chatKey=${e} dropped=${k} />`}
    ${v&&i`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${l&&i`<${ps} media=${l} onClose=${()=>m(null)} />`}
    ${h&&i`<${ds} m=${h} onClose=${()=>f(null)} />`}
  </section>`}function Fa({chatKey:e}){let t=_(o=>o.typing.get(e)),n=t?[...t.keys()].map(j):[];return i`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function ke({onText:e}){let[t,n]=g(!1),[o,a]=g(""),s=W(null),r=async(c,u)=>{try{let d=await zn(c);if(d)return n(!1),a(""),e(d),!0}catch(d){u||a(d.message||"No QR code found in that image.")}return!1};return M(()=>{let c=u=>{let d=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));d&&(u.preventDefault(),r(d))};return document.addEventListener("paste",c),()=>document.removeEventListener("paste",c)},[]),i`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&i`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
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
        onChange=${c=>{let u=c.target.files[0];c.target.value="",u&&r(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&i`<${Ba} onFrame=${c=>r(c,!0)} onError=${c=>(a(c),n(!1))} />`}
    ${o&&i`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function Ba({onFrame:e,onError:t}){let n=W(null);return M(()=>{let o=null,a=0,s=!1,r=document.createElement("canvas"),c=()=>{let u=n.current;if(!(s||!u)){if(u.videoWidth){r.width=u.videoWidth,r.height=u.videoHeight,r.getContext("2d").drawImage(u,0,0),r.toBlob(async d=>{d&&!s&&await e(d)&&(s=!0),s||(a=setTimeout(c,600))},"image/jpeg",.85);return}a=setTimeout(c,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,s)return u.getTracks().forEach(d=>d.stop());n.current.srcObject=u,n.current.play(),c()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{s=!0,clearTimeout(a),o&&o.getTracks().forEach(u=>u.stop())}},[]),i`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function ys({onClose:e,initial:t}){let[n,o]=g(t||""),[a,s]=g(""),[r,c]=g(""),[u,d]=g(!1),l=re(),m=at(n);M(()=>{m&&m.kind==="account"&&m.name&&!a&&s(m.name)},[n]);let h=async f=>{if(f.preventDefault(),!m){c("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}d(!0),c("");try{if(m.kind==="invite"){let v=await mt(m.link);P(v.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+v.group);return}await on(m.account,a.trim()),e(),F("/chat/"+m.account)}catch(v){c(v.message)}finally{d(!1)}};return i`<${L}
    title="Add contact"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${h}>
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
    <${ke} onText=${f=>(o(f),c(""))} />
  </${L}>`}function _s(){let e=_(a=>a.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=Kn(e.account,t.trim());return i`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>P(await je(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${y} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>P(await je(o)?"Contact link copied.":"Copy failed.")}>
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
    <img class="qr" src=${ve(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${z(e.peer_id)}</p>
  </div>`}function vs({onAdd:e}){let n=[..._(o=>o.contacts).values()].sort((o,a)=>(o.name||o.account).localeCompare(a.name||a.account));return i`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${y} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${y} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>i`<li key=${o.account} data-account=${o.account}>
              <${Y} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||z(o.account)}</strong>
                ${o.verified&&i` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&i` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${A}><${y} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&i`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${_s} />
    </div>
  </section>`}function bs(){return i`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${y} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${_s} /></div>
  </section>`}function Wa({account:e}){let t=_(f=>f.contacts.get(e)),n=_(f=>f.identity.get(e)),[o,a]=g(""),[s,r]=g(""),[c,u]=g(!1),[d,l]=g(null);M(()=>{S("/v1/contacts/"+U(e)+"/safety-number").then(f=>a(f.safety_number)).catch(f=>r(f.message))},[e,t&&t.identity_changed_at,n]);let m=Jn(o).split(" ").filter(Boolean),h=async()=>{try{await To(e),P("Marked as verified.")}catch(f){b(f)}};return i`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&i`<p class="banner" role="alert"><${y} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${s&&i`<p class="error-text">${s}</p>`}
    ${o&&i`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((f,v)=>i`<span key=${v}>${f}</span>`)}</div>
      <img class="qr" src=${ve(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${c&&i`<${ke}
      onText=${f=>{u(!1),l(f.replace(/\s/g,"")===o)}}
    />`}
    ${d===!0&&i`<p class="verified" role="status">The numbers match.</p>`}
    ${d===!1&&i`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!c)}><${y} name="camera" /> ${c?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?i`<span class="verified"><${y} name="shield" /> Verified</span>`:i`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var Ha=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function Ga({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async a=>{try{await E("/v1/conversations/"+U(e)+"/auto-download",{max_bytes:Number(a)}),localStorage.setItem("pigeon.auto."+e,a),n(a)}catch(s){b(s)}};return i`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${a=>o(a.target.value)}>
      ${Ha.map(([a,s])=>i`<option value=${String(a)}>${s}</option>`)}
    </select>
  </label>`}function ws({account:e}){let t=_(c=>c.contacts.get(e)),n=_(c=>c.presence.get(e)),[o,a]=g(t?t.name:"");M(()=>a(t?t.name:""),[t&&t.name]);let s=async c=>{c.preventDefault();try{await E("/v1/contacts/"+U(e),{name:o.trim()}),await J(),V(),P("Saved.")}catch(u){b(u)}},r=async()=>{if(confirm("Remove this contact? The chat stays."))try{await H("/v1/contacts/"+U(e)),await J()}catch(c){b(c)}};return i`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${A} aria-label="Close details"><${y} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?i`<form onSubmit=${s} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${c=>a(c.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:i`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>on(e,"").catch(b)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&i`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${Wa} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${Ga} account=${e} />
    </div>
    <${Zo} account=${e} />
    ${t&&i`<div class="section"><button type="button" class="btn danger" onClick=${r}><${y} name="trash" /> Remove contact</button></div>`}
  </aside>`}function ks({chosen:e,onChange:t,exclude:n}){let a=[..._(s=>s.contacts).values()].filter(s=>!n||!n.has(s.account));return a.length?i`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${a.map(s=>i`<label key=${s.account}>
        <input
          type="checkbox"
          checked=${e.has(s.account)}
          onChange=${r=>{let c=new Set(e);r.target.checked?c.add(s.account):c.delete(s.account),t(c)}}
        />
        ${s.name||z(s.account)}
      </label>`)}
  </fieldset>`:i`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function xs({onClose:e}){let[t,n]=g(""),[o,a]=g(""),[s,r]=g(new Set),[c,u]=g(""),[d,l]=g(!1),m=re(),h=async f=>{if(f.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let v=await Ro(t.trim(),o.trim(),[...s]);e(),F("/group/"+v.id)}catch(v){u(v.message)}finally{l(!1)}};return i`<${L}
    title="New group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${d}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${f=>n(f.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${f=>a(f.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${ks} chosen=${s} onChange=${r} />
      ${c&&i`<p class="error-text" role="alert">${c}</p>`}
    </form>
  </${L}>`}function Cs({onClose:e}){let[t,n]=g(""),[o,a]=g(""),[s,r]=g(!1),c=re(),u=async d=>{let l=at(d);if(!l||l.kind!=="invite"){a("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}r(!0),a("");try{let m=await mt(l.link);P(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+m.group)}catch(m){a(m.message)}finally{r(!1)}};return i`<${L}
    title="Join a group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${s}>${s?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${d=>{d.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${c} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${d=>n(d.target.value)} placeholder="pgi…" /></label>
      ${o&&i`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${ke} onText=${d=>(n(d),u(d))} />
  </${L}>`}var fn=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function za({g:e}){let[t,n]=g(""),[o,a]=g("86400"),s=async()=>{try{let c=await R("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(c.link),X(e.id)}catch(c){b(c)}},r=async()=>{try{await R("/v1/groups/invites/revoke",{link:t}),n(""),X(e.id),P("Invite link revoked: nobody can join with it now.")}catch(c){b(c)}};return i`<div class="section invites">
    <h3>Invite link</h3>
    ${t?i`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${ve(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>P(await je(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${y} name="copy" /> Copy
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
          <button type="button" class="btn primary" onClick=${s}><${y} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&i`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function Ya({g:e}){let t=_(l=>l.contacts);_(l=>l.profiles);let[n,o]=g(!1),[a,s]=g(new Set),r=p.me&&p.me.account,c=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await X(e.id)}catch(m){b(m)}},d="/v1/groups/"+e.id+"/members";return i`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===r?"You":l.name||(t.get(l.account)||{}).name||z(l.account);return i`<li key=${l.account} data-account=${l.account}>
          <${Y} small name=${m} src=${_t(l.account)} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&i`<span class="role">${l.role}</span>`}
          ${c&&l.account!==r&&l.role!=="owner"&&i`<span class="row">
            ${l.role==="member"?i`<button type="button" class="btn" onClick=${()=>u(()=>E(d+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&i`<button type="button" class="btn" onClick=${()=>u(()=>E(d+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>H(d+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${fn(e,"add")&&(n?i`<div>
          <${ks} chosen=${a} onChange=${s} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!a.size}
              onClick=${()=>u(async()=>{await R(d,{accounts:[...a],role:"member"}),o(!1),s(new Set)})}
            >
              Add ${a.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:i`<button type="button" class="btn" onClick=${()=>o(!0)}><${y} name="person-add" /> Add members</button>`)}
  </div>`}function dn({g:e,k:t,label:n}){let o=async a=>{try{await Oe("/v1/groups/"+e.id,{settings:{...e.settings,[t]:a}}),await X(e.id)}catch(s){b(s)}};return i`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${a=>o(a.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function Va({g:e}){return i`<div class="section">
    <h3>Permissions</h3>
    <${dn} g=${e} k="post" label="Who can send messages" />
    <${dn} g=${e} k="add" label="Who can add members" />
    <${dn} g=${e} k="edit_info" label="Who can change name and description" />
    <${Fo} g=${e} />
  </div>`}function Ss({id:e}){let t=_(l=>l.groups.get(e)),[n,o]=g(null),[a,s]=g(null);if(!t)return i`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let r=t.status==="active",c=r&&fn(t,"edit_info"),u=async l=>{l.preventDefault();try{await Oe("/v1/groups/"+e,{name:(n??t.name).trim(),description:(a??t.description??"").trim()}),await X(e),await te(),o(null),s(null),P("Saved.")}catch(m){b(m)}},d=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await R("/v1/groups/"+e+"/leave"),await X(e)}catch(l){b(l)}};return i`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${A} aria-label="Close details"><${y} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${c?i`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${a??t.description??""} onInput=${l=>s(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&a===null}>Save</button>
          </form>`:i`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${r?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${r&&i`<${Ya} g=${t} />`}
    ${r&&fn(t,"add")&&i`<${za} g=${t} />`}
    ${r&&(t.role==="owner"||t.role==="admin")&&i`<${Va} g=${t} />`}
    ${r&&i`<div class="section"><button type="button" class="btn danger" onClick=${d}>Leave group</button></div>`}
  </aside>`}function hn(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function Qa(){let[e,t]=g(null),[n,o]=g(""),[a,s]=g(""),r=()=>S("/v1/relays").then(t).catch(b);M(()=>{r();let d=setInterval(r,1e4);return()=>clearInterval(d)},[]);let c=async d=>{d.preventDefault();try{await R("/v1/relays",a.trim()?{addr:n.trim(),invite:a.trim()}:{addr:n.trim()}),o(""),s(""),P("Relay added: the node reserves a slot there now."),r()}catch(l){b(l)}},u=async d=>{if(confirm("Stop using relay "+z(d.peer_id)+"? What its mailbox holds for you is taken first."))try{await H("/v1/relays/"+d.peer_id),r()}catch(l){b(l)}};return i`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(d=>i`<li key=${d.peer_id} data-peer=${d.peer_id}>
          <span class="grow">
            <span class="mono">${d.addr}</span>
            <div class="relay-stats">
              ${d.closing?"closing":d.reserved?"connected":"not connected"}
              ${d.latency_ms?" · "+d.latency_ms.toFixed(1)+" ms":""}
              ${d.region?" · "+d.region:""}
              ${d.mailbox?" · mailbox":""}
              ${d.push&&d.push!=="off"?" · push "+d.push+(d.push_reason?" ("+d.push_reason+")":""):""}
              ${d.last_error?i` · <span class="error-text">${d.last_error}</span>`:""}
            </div>
          </span>
          ${!d.closing&&i`<button type="button" class="btn danger" onClick=${()=>u(d)} aria-label=${"Remove relay "+d.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&i`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${c}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${d=>o(d.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${a} onInput=${d=>s(d.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function Ka(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[a,s]=g(""),[r,c]=g(""),[u,d]=g(""),l=()=>S("/v1/push").then(t).catch(b);M(()=>{l()},[]);let m=async f=>{f.preventDefault();let v={kind:n};n==="unifiedpush"||n==="webhook"?v.url=a.trim():v.token=r.trim(),n==="apns"&&(v.topic=u.trim());try{await E("/v1/push",v),P("Push endpoint set; each relay says below whether it will use it."),l()}catch($){b($)}},h=async()=>{try{await H("/v1/push"),l()}catch(f){b(f)}};return i`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&i`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(f=>i`<li key=${f.peer_id}><span class="grow mono">${z(f.peer_id)}</span><span>${f.state}${f.reason?": "+f.reason:""}</span></li>`)}
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
      ${n==="apns"&&i`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${f=>d(f.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&i`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function Ja(){let[e,t]=g("");M(()=>{S("/v1/presence/privacy").then(o=>t(o.who)).catch(b)},[]);let n=async o=>{try{await E("/v1/presence/privacy",{who:o}),t(o),P("Saved.")}catch(a){b(a)}};return i`<div class="card">
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
  </div>`}var mn=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function Xa(){let e=_(a=>a.autoDownload),t=e?e.max_bytes:null,n=t==null||mn.some(([a])=>a===t)?mn:[...mn,[t,"Files up to "+ae(t)]],o=async a=>{try{await E("/v1/media-settings/auto-download",{max_bytes:Number(a)}),await Zt()}catch(s){b(s)}};return i`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${a=>o(a.target.value)}>
        ${n.map(([a,s])=>i`<option value=${String(a)}>${s}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function Za(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(gt()),a=s=>{localStorage.setItem("pigeon.theme",s),t(s),hn(s)};return i`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(s=>i`<label key=${s}><input type="radio" name="theme" value=${s} checked=${e===s} onChange=${()=>a(s)} /> ${s==="system"?"Follow the system":s==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":i` <button type="button" class="btn" onClick=${async()=>o(await $t())}>Turn on</button>`}
    </p>
  </div>`}function er(){return i`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await R("/v1/web/logout")}catch(t){if(t.status!==401)return b(t)}p.boot="signedout",p.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function Ms(){return i`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${A}><${y} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${Ko} />
      <${zo} />
      <${Za} />
      <${Ja} />
      <${Xa} />
      <${Qa} />
      <${Ka} />
      <${er} />
    </div>
  </section>`}function tr(){let e=p.convs.map(n=>({key:n.key,name:n.name||G(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of p.contacts.values()){let o=be(n.account);t.has(o)||e.push({key:o,name:n.name||G(o),group:!1})}return e}function Ds({onClose:e}){let[t,n]=g(""),[o,a]=g(0),s=re(),r=t.trim().toLowerCase(),c=tr(),u=(r?c.filter(h=>h.name.toLowerCase().includes(r)):c).slice(0,50),d=Math.min(o,u.length-1),l=h=>{h&&(e(),F(ee(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),a((d+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),a((d-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[d]))};return i`<${L} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${s}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+d:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${h=>(n(h.target.value),a(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((h,f)=>i`<li id=${"sw-"+f} key=${h.key} role="option" aria-selected=${f===d?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${Y} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&i`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${L}>`}var nr=500,kt=null,Ts="";function Is(){return p.boot="setup",p.setup=null,w(),new Promise(e=>{kt=e,qs()})}function Ps(){let e=kt;kt=null,e&&e()}async function qs(){if(kt){try{p.setup=await S("/v1/setup"),p.setupDown=""}catch(e){p.setupDown=e.message}if(w(),p.setup&&p.setup.state==="ready"){Ps();return}setTimeout(qs,nr)}}var Rs=e=>(e||0).toLocaleString("en-US");function or({failed:e,onLink:t}){let[n,o]=g(!1),[a,s]=g("");return i`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),s("");try{await R("/v1/setup/create"),p.setup={state:"creating"},w()}catch(c){s(c.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(a||e)&&i`<p class="error-text setup-error" role="alert">${a||e.error}</p>`}
  </div>`}function sr({failed:e,onBack:t}){let[n,o]=g(""),[a,s]=g(Ts),[r,c]=g(!1),[u,d]=g(""),l=async h=>{h.preventDefault(),c(!0),d("");try{await R("/v1/setup/link",{code:n.trim(),name:a.trim()}),p.setup={state:"linking"},w()}catch(f){d(f.message)}c(!1)},m=u||e&&e.error;return i`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${h=>o(h.target.value)}></textarea>
    </label>
    <${ke} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${a} onInput=${h=>s(Ts=h.target.value)} />
    </label>
    ${m&&i`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${r||!n.trim()}>Link this device</button>
    </div>
  </form>`}function Ls(){let e=_(s=>s.setup),t=_(s=>s.setupDown),[n,o]=g(""),a;if(!e)a=i`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")a=i`<p role="status">Creating your account…</p>`;else if(e.state==="linking")a=e.sas?i`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:i`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let s=e.history||{};a=i`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${s.error?"Getting your history stopped ("+s.error+"); it goes on when the devices meet again.":"Getting your history: "+Rs(s.done)+" of "+Rs(s.total)}</p>
      <progress max=${s.total||1} value=${s.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${Ps}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?a=i`<${sr} failed=${e.error} onBack=${()=>o("choice")} />`:a=i`<p>This device has no Pigeon account yet.</p><${or} failed=${e.error} onLink=${()=>o("link")} />`;return i`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${a}
    ${t&&i`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function ar(){return i`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function rr(){let e=_(t=>t.toasts);return i`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>i`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>Xt(t.id)}><${y} name="close" /></button>
      </div>`)}
  </div>`}function ir(){return i`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function cr(){let e=_(c=>c.boot),t=_(c=>c.storageFull),n=Po(),[o,a]=g("");if(M(()=>{n.name==="chat"?en(n.key):vo()},[n.name,n.key,e]),M(()=>{let c=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),a("switcher"))};return document.addEventListener("keydown",c),()=>document.removeEventListener("keydown",c)},[]),e==="signedout")return i`<${ar} />`;if(e==="setup")return i`<${Ls} />`;if(e==="error")return i`<main class="signin"><h1>Pigeon</h1><p class="error-text">${p.bootError}</p></main>`;let s=()=>a(""),r;if(n.name==="chat"){let c=i`<${$s} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?i`<${Ss} id=${n.key.slice(2)} />`:i`<${ws} account=${n.key.slice(2)} />`);r=i`<main class="pane" id="main">${u?i`<div class="with-drawer">${c}${u}</div>`:c}</main>`}else n.name==="contacts"?r=i`<${vs} onAdd=${()=>a("contact")} />`:n.name==="me"?r=i`<${bs} />`:n.name==="settings"?r=i`<${Ms} />`:n.name==="requests"?r=i`<${Xo} />`:r=i`<${ir} />`;return i`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${as}
      current=${n.key}
      onNewGroup=${()=>a("group")}
      onAddContact=${()=>a("contact")}
      onJoin=${()=>a("join")}
    />
    ${t&&i`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${r}
    ${o==="switcher"&&i`<${Ds} onClose=${s} />`}
    ${o==="group"&&i`<${xs} onClose=${s} />`}
    ${o==="contact"&&i`<${ys} onClose=${s} />`}
    ${o==="join"&&i`<${Cs} onClose=${s} />`}
    <${Yo} />
    <${rr} />
  </div>`}function lr(){let e=_(t=>t.conn);return M(()=>{document.body.dataset.conn=e},[e]),i`<${cr} />`}function ur(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function pr(){Wn(()=>{p.boot="signedout",w()});let e=S("/v1/info");e.catch(()=>{}),await ur();let t=document.getElementById("app");t.textContent="",t.className="",Pt(i`<${lr} />`,t);try{p.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await Is(),p.boot="loading",S("/v1/info")})}catch(n){n.status!==401&&(p.boot="error",p.bootError=n.message),w();return}w(),vt(),document.addEventListener("visibilitychange",()=>{bo(document.visibilityState==="visible"),document.hidden||ln()}),window.addEventListener("online",ln),go(Eo)}hn();pr();
